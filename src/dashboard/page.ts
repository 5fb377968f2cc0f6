/** The dashboard and login pages, server-rendered with hono/html templates. No script anywhere. */
import { html, raw } from 'hono/html';
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

/** What html`` makes: markup, escaped where it interpolated text. */
type Html = ReturnType<typeof html>;

function Layout(title: string, body: Html) {
  // An empty icon: otherwise every browser asks for /favicon.ico and gets a 404. The style is raw,
  // not escaped: the CSP allows exactly this text by its hash.
  return html`<html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><meta name="referrer" content="no-referrer"/><link rel="icon" href="data:,"/><title>${title}</title><style>${raw(DASHBOARD_CSS)}</style></head><body>${body}</body></html>`;
}

export function LoginPage(props: { error?: string }) {
  const error = props.error ? html`<p class="error" role="alert">${props.error}</p>` : null;
  return Layout(
    'webshare-ops · sign in',
    html`<form class="login" method="post" action="/login"><h1>webshare-ops</h1><label for="token">Admin token</label><input id="token" name="token" type="password" autocomplete="current-password" required="" autofocus=""/>${error}<button type="submit">Sign in</button></form>`,
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
  const meta = `${view.takenAt ? `Last tick ${time(view.takenAt)} (${ageMinutes} min ago)` : 'No tick has run yet'}${view.webshareApi ? ` · Webshare API ${view.webshareApi}` : ''}`;
  const runTickForm = runTick
    ? html`<form class="run-tick" method="post" action="/dashboard/tick"><input type="hidden" name="csrf" value="${runTick.csrfToken}"/><button type="submit">Run a tick now</button></form>`
    : null;
  const header = html`<header><h1>webshare-ops</h1><span class="meta">${meta}</span>${runTickForm}<form class="logout" method="post" action="/logout"><button type="submit">Sign out</button></form></header>`;
  const main = [
    notice ? html`<p class="wide notice" role="status" data-field="tick-notice">${notice}</p>` : null,
    view.takenAt ? null : WaitingForFirstTick(nowMs, runTick !== undefined),
    Warnings(view),
    html`<section><h2>Bandwidth</h2>${BandwidthSection({ view })}</section>`,
    html`<section><h2>Firing alerts</h2>${FiringAlerts(view)}</section>`,
    html`<section class="wide">${PeriodSection({ view })}</section>`,
    html`<section class="wide">${InvalidTrendSection({ view })}</section>`,
    html`<section><h2>Invalid proxies by country</h2>${InvalidByCountry({ view })}</section>`,
    html`<section><h2>Replacement quotas</h2>${Quotas(view)}</section>`,
    html`<section><h2>Sub-users</h2>${SubUsersSection({ view })}</section>`,
    html`<section><h2>Recent notifications</h2>${NotificationsSection({ view })}</section>`,
    html`<section class="wide"><h2>Replacements and remediation</h2>${RemediationSection({ view })}</section>`,
    TickErrors(view),
  ];
  return Layout('webshare-ops · dashboard', html`${header}<main>${main}</main>`);
}

/** Before any tick: when the cron runs the first one, and how to run one now. */
function WaitingForFirstTick(nowMs: number, canRunTick: boolean) {
  const wait = firstTickWait(nowMs);
  const dueMs = wait.next_tick_due_at === null ? null : Date.parse(wait.next_tick_due_at);
  const when =
    dueMs === null
      ? 'The cron runs it.'
      : html`The cron runs the next one at <time data-field="next-tick">${formatTime(dueMs)}</time> (in ${Math.max(1, Math.ceil((dueMs - nowMs) / 60_000))} min).`;
  return html`<section class="wide" data-section="waiting"><h2>Waiting for the first tick</h2><p>Nothing to show until a tick has read the account. ${when}</p><p>To run one now: ${canRunTick ? 'use “Run a tick now” above, or ' : ''}<code>${RUN_TICK_NOW}</code>.</p></section>`;
}

function Warnings(view: DashboardView) {
  if (view.warnings.length === 0) return null;
  const items = view.warnings.map(
    (warning) => html`<li class="error" data-code="${warning.code}">${warning.message}</li>`,
  );
  return html`<section class="wide" data-list="warnings"><h2>Warnings</h2><ul>${items}</ul></section>`;
}

function FiringAlerts(view: DashboardView) {
  const alerts = view.alerts;
  if (!alerts) return html`<p class="empty">Alert state unavailable.</p>`;
  const firing =
    alerts.firing.length === 0
      ? html`<p class="empty" data-field="no-alerts">Nothing firing.</p>`
      : html`<ul class="alerts" data-list="firing">${alerts.firing.map(
          (alert) =>
            html`<li class="${alert.severity}"><span class="badge">${alert.severity}</span><strong>${alert.title}</strong>${alert.silenced ? html`<span class="badge">silenced</span>` : null}<div>${alert.summary}</div><small>since ${time(alert.since)}</small></li>`,
        )}</ul>`;
  const undeliverable =
    alerts.undeliverable.length > 0
      ? html`<p class="error">${alerts.undeliverable.length} notification(s) could not be delivered: check the channel URLs.</p>`
      : null;
  return html`${firing}${undeliverable}`;
}

function Quotas(view: DashboardView) {
  const quotas = view.quotas;
  if (!quotas) return html`<p class="empty">Quotas unavailable.</p>`;
  return html`<dl>${[
    html`<dt>On-demand refreshes</dt><dd>${quotas.ondemand_refreshes_available} of ${quotas.ondemand_refreshes_total} left</dd>`,
    html`<dt>Proxy replacements</dt><dd>${quotas.proxy_replacements_available} of ${quotas.proxy_replacements_total} left</dd>`,
    html`<dt>Next auto refresh</dt><dd>${time(quotas.automatic_refresh_next_at)}</dd>`,
  ]}</dl>`;
}

function TickErrors(view: DashboardView) {
  if (view.errors.length === 0) return null;
  const items = view.errors.map((error) => html`<li class="error">${error.source}: ${error.message}</li>`);
  return html`<section class="wide"><h2>Last tick&#39;s errors</h2><ul>${items}</ul></section>`;
}
