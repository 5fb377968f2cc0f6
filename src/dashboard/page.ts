/** The dashboard and login pages, server-rendered with hono/jsx. No script anywhere. */
import type { Child } from 'hono/jsx';
import type { TickResult } from '../cycle/record';
import { formatTime } from '../lib/format';
import { firstTickWait, RUN_TICK_NOW } from '../status/first-tick';
import {
  BandwidthSection,
  InvalidByCountry,
  InvalidTrendSection,
  NotificationsSection,
  PeriodSection,
  RemediationSection,
  SubUsersSection,
  time,
} from './sections';
import { DASHBOARD_CSS } from './styles';
import type { DashboardView } from './view-model';

function Layout(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        {/* An empty icon: otherwise every browser asks for /favicon.ico and gets a 404. */}
        <link rel="icon" href="data:," />
        <title>{props.title}</title>
        {/* Raw, not escaped: the CSP allows exactly this text by its hash. */}
        <style dangerouslySetInnerHTML={{ __html: DASHBOARD_CSS }} />
      </head>
      <body>{props.children}</body>
    </html>
  );
}

export function LoginPage(props: { error?: string }) {
  return (
    <Layout title="webshare-ops · sign in">
      <form class="login" method="post" action="/login">
        <h1>webshare-ops</h1>
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

/** How a tick run from the dashboard ended: the `tick` query of the page it redirects to. */
export type TickOutcome = TickResult['status'];

const TICK_NOTICES: Record<TickOutcome, string> = {
  done: 'Tick done: the figures below are from it.',
  duplicate: 'A tick for this moment had already run.',
  busy: 'Another tick is running; try again in a few seconds.',
  not_configured: 'No tick ran: WEBSHARE_API_KEY is not set.',
};

/** The notice for a `tick` query the tick form redirected with; nothing for any other value. */
export function tickNoticeFor(query: string | undefined): string | undefined {
  return query !== undefined && Object.hasOwn(TICK_NOTICES, query)
    ? TICK_NOTICES[query as TickOutcome]
    : undefined;
}

export function DashboardPage({
  view,
  nowMs,
  runTick,
  notice,
}: {
  view: DashboardView;
  nowMs: number;
  /** Set for an admin session only: the form's CSRF token. */
  runTick?: { csrfToken: string };
  notice?: string;
}) {
  const ageMinutes = view.takenAt ? Math.round((nowMs - Date.parse(view.takenAt)) / 60_000) : null;
  return (
    <Layout title="webshare-ops · dashboard">
      <header>
        <h1>webshare-ops</h1>
        <span class="meta">
          {view.takenAt ? `Last tick ${time(view.takenAt)} (${ageMinutes} min ago)` : 'No tick has run yet'}
          {view.webshareApi ? ` · Webshare API ${view.webshareApi}` : ''}
        </span>
        {runTick ? (
          <form class="run-tick" method="post" action="/dashboard/tick">
            <input type="hidden" name="csrf" value={runTick.csrfToken} />
            <button type="submit">Run a tick now</button>
          </form>
        ) : null}
        <form class="logout" method="post" action="/logout">
          <button type="submit">Sign out</button>
        </form>
      </header>
      <main>
        {notice ? (
          <p class="wide notice" role="status" data-field="tick-notice">
            {notice}
          </p>
        ) : null}
        {view.takenAt ? null : <WaitingForFirstTick nowMs={nowMs} canRunTick={runTick !== undefined} />}
        <Warnings view={view} />
        <section>
          <h2>Bandwidth</h2>
          <BandwidthSection view={view} />
        </section>
        <section>
          <h2>Firing alerts</h2>
          <FiringAlerts view={view} />
        </section>
        <section class="wide">
          <PeriodSection view={view} />
        </section>
        <section class="wide">
          <InvalidTrendSection view={view} />
        </section>
        <section>
          <h2>Invalid proxies by country</h2>
          <InvalidByCountry view={view} />
        </section>
        <section>
          <h2>Replacement quotas</h2>
          <Quotas view={view} />
        </section>
        <section>
          <h2>Sub-users</h2>
          <SubUsersSection view={view} />
        </section>
        <section>
          <h2>Recent notifications</h2>
          <NotificationsSection view={view} />
        </section>
        <section class="wide">
          <h2>Replacements and remediation</h2>
          <RemediationSection view={view} />
        </section>
        <TickErrors view={view} />
      </main>
    </Layout>
  );
}

/** Before any tick: when the cron runs the first one, and how to run one now. */
function WaitingForFirstTick({ nowMs, canRunTick }: { nowMs: number; canRunTick: boolean }) {
  const wait = firstTickWait(nowMs);
  const dueMs = wait.next_tick_due_at === null ? null : Date.parse(wait.next_tick_due_at);
  return (
    <section class="wide" data-section="waiting">
      <h2>Waiting for the first tick</h2>
      <p>
        Nothing to show until a tick has read the account.{' '}
        {dueMs === null ? (
          'The cron runs it.'
        ) : (
          <>
            The cron runs the next one at <time data-field="next-tick">{formatTime(dueMs)}</time> (in{' '}
            {Math.max(1, Math.ceil((dueMs - nowMs) / 60_000))} min).
          </>
        )}
      </p>
      <p>
        To run one now: {canRunTick ? 'use “Run a tick now” above, or ' : ''}
        <code>{RUN_TICK_NOW}</code>.
      </p>
    </section>
  );
}

function Warnings({ view }: { view: DashboardView }) {
  if (view.warnings.length === 0) return null;
  return (
    <section class="wide" data-list="warnings">
      <h2>Warnings</h2>
      <ul>
        {view.warnings.map((warning) => (
          <li class="error" data-code={warning.code}>
            {warning.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function FiringAlerts({ view }: { view: DashboardView }) {
  const alerts = view.alerts;
  return (
    <>
      {!alerts ? (
        <p class="empty">Alert state unavailable.</p>
      ) : alerts.firing.length === 0 ? (
        <p class="empty" data-field="no-alerts">
          Nothing firing.
        </p>
      ) : (
        <ul class="alerts" data-list="firing">
          {alerts.firing.map((alert) => (
            <li class={alert.severity}>
              <span class="badge">{alert.severity}</span>
              <strong>{alert.title}</strong>
              {alert.silenced ? <span class="badge">silenced</span> : null}
              <div>{alert.summary}</div>
              <small>since {time(alert.since)}</small>
            </li>
          ))}
        </ul>
      )}
      {alerts && alerts.undeliverable.length > 0 ? (
        <p class="error">
          {alerts.undeliverable.length} notification(s) could not be delivered: check the channel URLs.
        </p>
      ) : null}
    </>
  );
}

function Quotas({ view }: { view: DashboardView }) {
  return (
    <>
      {view.quotas ? (
        <dl>
          <dt>On-demand refreshes</dt>
          <dd>
            {view.quotas.ondemand_refreshes_available} of {view.quotas.ondemand_refreshes_total} left
          </dd>
          <dt>Proxy replacements</dt>
          <dd>
            {view.quotas.proxy_replacements_available} of {view.quotas.proxy_replacements_total} left
          </dd>
          <dt>Next auto refresh</dt>
          <dd>{time(view.quotas.automatic_refresh_next_at)}</dd>
        </dl>
      ) : (
        <p class="empty">Quotas unavailable.</p>
      )}
    </>
  );
}

function TickErrors({ view }: { view: DashboardView }) {
  if (view.errors.length === 0) return null;
  return (
    <section class="wide">
      <h2>Last tick's errors</h2>
      <ul>
        {view.errors.map((error) => (
          <li class="error">
            {error.source}: {error.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
