/** The dashboard and login pages, server-rendered with hono/jsx. No script anywhere. */
import type { Child } from 'hono/jsx';
import { formatBytes, formatPercent, formatTime } from '../lib/format';
import { Gauge, LineChart, UsageBar } from './charts';
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

function time(iso: string | null): string {
  return iso ? formatTime(Date.parse(iso)) : '—';
}

/** "16:25" (UTC): enough in a list of recent events, and it fits a phone. */
function shortTime(iso: string): string {
  return new Date(iso).toISOString().slice(11, 16);
}

function BandwidthSection({ view }: { view: DashboardView }) {
  const bw = view.bandwidth;
  if (!bw) return <p class="empty">No bandwidth figures yet.</p>;
  return (
    <div class="kpis">
      <Gauge
        id="bandwidth-gauge"
        percent={bw.percent}
        label="Bandwidth used"
        sublabel={
          bw.limitBytes > 0
            ? `${formatBytes(bw.usedBytes)} of ${formatBytes(bw.limitBytes)}`
            : 'unlimited plan'
        }
      />
      <dl>
        <dt>Used</dt>
        <dd>{formatBytes(bw.usedBytes)}</dd>
        <dt>Limit</dt>
        <dd>{bw.limitBytes > 0 ? formatBytes(bw.limitBytes) : 'unlimited'}</dd>
        <dt>Projected</dt>
        <dd data-field="projected">
          {bw.projectedBytes === null
            ? '—'
            : `${formatBytes(bw.projectedBytes)}${bw.projectedPercent === null ? '' : ` (${formatPercent(bw.projectedPercent)})`}`}
        </dd>
        <dt>Period ends</dt>
        <dd>{time(bw.periodEnd)}</dd>
      </dl>
    </div>
  );
}

function AlertsSection({ view }: { view: DashboardView }) {
  const alerts = view.alerts;
  if (!alerts) return <p class="empty">Alert state unavailable.</p>;
  return (
    <>
      {alerts.firing.length === 0 ? (
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
      <h2>Recent notifications</h2>
      {alerts.recent.length === 0 ? (
        <p class="empty">None sent yet.</p>
      ) : (
        <table data-list="notifications">
          <tbody>
            {alerts.recent.slice(0, 10).map((record) => (
              <tr>
                <td class="num" title={record.at}>
                  {shortTime(record.at)}
                </td>
                <td>{record.channel}</td>
                <td>{record.title}</td>
                <td>{record.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {alerts.undeliverable.length > 0 ? (
        <p class="error">
          {alerts.undeliverable.length} notification(s) could not be delivered: check the channel URLs.
        </p>
      ) : null}
    </>
  );
}

export function DashboardPage({ view, nowMs }: { view: DashboardView; nowMs: number }) {
  const ageMinutes = view.takenAt ? Math.round((nowMs - Date.parse(view.takenAt)) / 60_000) : null;
  return (
    <Layout title="webshare-ops · dashboard">
      <header>
        <h1>webshare-ops</h1>
        <span class="meta">
          {view.takenAt ? `Last tick ${time(view.takenAt)} (${ageMinutes} min ago)` : 'No tick has run yet'}
          {view.webshareApi ? ` · Webshare API ${view.webshareApi}` : ''}
        </span>
        <form class="logout" method="post" action="/logout">
          <button type="submit">Sign out</button>
        </form>
      </header>
      <main>
        <section>
          <h2>Bandwidth</h2>
          <BandwidthSection view={view} />
        </section>
        <section>
          <h2>Firing alerts</h2>
          <AlertsSection view={view} />
        </section>
        <section class="wide">
          <h2>Bandwidth over time (% of limit, dashed: projection to the end of the period)</h2>
          <LineChart
            id="bandwidth"
            label="Bandwidth used, percent of limit"
            unit="%"
            points={view.bandwidthSeries}
            projection={view.projection}
            guides={view.thresholds.map((value) => ({ value, label: `${value}%` }))}
          />
        </section>
        <section>
          <h2>Invalid proxies over time</h2>
          <LineChart
            id="invalid"
            label="Invalid proxies per finished sweep"
            unit="proxies"
            points={view.invalidSeries}
          />
        </section>
        <section>
          <h2>Invalid proxies by country</h2>
          {view.invalid ? (
            <>
              <p>
                <strong data-field="invalid-count">{view.invalid.count}</strong> of {view.invalid.total}{' '}
                invalid ({formatPercent(view.invalid.ratio * 100)})
              </p>
              <table>
                <tbody>
                  {view.invalid.byCountry.slice(0, 8).map((row) => (
                    <tr>
                      <td>{row.country}</td>
                      <td class="num">
                        {row.invalid} / {row.total}
                      </td>
                      <td>
                        <UsageBar
                          percent={(row.invalid / Math.max(1, row.total)) * 100}
                          label={`${row.country} invalid`}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p class="empty">The first sweep of the proxy list has not finished yet.</p>
          )}
        </section>
        <section>
          <h2>Replacement quotas</h2>
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
        </section>
        <section>
          <h2>Sub-users</h2>
          {view.subusers.length === 0 ? (
            <p class="empty">No sub-users.</p>
          ) : (
            <table data-list="subusers">
              <tbody>
                {view.subusers.map((subuser) => (
                  <tr>
                    <td>{subuser.label}</td>
                    <td class="num">
                      {formatBytes(subuser.proxy_usage)} /{' '}
                      {subuser.proxy_limit_gb > 0 ? `${subuser.proxy_limit_gb} GB` : '∞'}
                    </td>
                    <td>
                      <UsageBar percent={subuser.usage_percent} label={`${subuser.label} usage`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        {view.errors.length > 0 ? (
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
        ) : null}
      </main>
    </Layout>
  );
}
