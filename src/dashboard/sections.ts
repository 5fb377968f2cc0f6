/** The dashboard's sections, each a small component over the view model. No script anywhere. */
import { formatBytes, formatPercent, formatTime } from '../lib/format';
import { Gauge, PeriodChart, UsageBar, type PeriodChartProps } from './charts';
import type { DashboardView } from './view-model';

export function time(iso: string | null): string {
  return iso ? formatTime(Date.parse(iso)) : '—';
}

/** "Dec 7 16:25": enough in a list of recent events, and it fits a phone. */
function shortTime(iso: string): string {
  return time(iso).replace(' UTC', '');
}

/** The wide chart for a desktop and the narrow one for a phone; CSS shows one of them. */
function ResponsiveChart(props: Omit<PeriodChartProps, 'layout'>) {
  return (
    <div class="chart-box">
      <div class="chart-wide">
        <PeriodChart {...props} layout="wide" />
      </div>
      <div class="chart-narrow">
        <PeriodChart {...props} layout="narrow" />
      </div>
    </div>
  );
}

export function BandwidthSection({ view }: { view: DashboardView }) {
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

export function PeriodSection({ view }: { view: DashboardView }) {
  const unit = view.usageUnit === 'percent' ? '% of the limit' : 'GB';
  return (
    <>
      <h2>Bandwidth this billing period ({unit})</h2>
      <ResponsiveChart
        id="bandwidth"
        title={`Bandwidth used this billing period, ${unit}`}
        description={view.usageSummary}
        startMs={view.period.startMs}
        endMs={view.period.endMs}
        points={view.usagePoints}
        unit={view.usageUnit}
        projection={view.projection}
        guides={
          view.usageUnit === 'percent' ? view.thresholds.map((value) => ({ value, label: `${value}%` })) : []
        }
      />
      <p class="legend">
        <span class="key used">used so far</span>
        <span class="key projected">projection to the period end</span>
        <span class="key threshold">alert thresholds</span>
      </p>
      <p class="summary" data-field="usage-summary">
        {view.usageSummary}
      </p>
      <details>
        <summary>Day by day</summary>
        <table data-list="period-days">
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col" class="num">
                Used
              </th>
              <th scope="col" class="num">
                Invalid proxies
              </th>
            </tr>
          </thead>
          <tbody>
            {view.periodRows.map((row) => (
              <tr>
                <td>{row.day}</td>
                <td class="num">
                  {row.usedBytes === null ? '—' : formatBytes(row.usedBytes)}
                  {row.usedPercent === null ? '' : ` (${formatPercent(row.usedPercent)})`}
                </td>
                <td class="num">{row.invalid ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}

export function InvalidTrendSection({ view }: { view: DashboardView }) {
  return (
    <>
      <h2>Invalid proxies this period</h2>
      <ResponsiveChart
        id="invalid"
        title="Invalid proxies this billing period, per finished sweep"
        description={view.invalidSummary}
        startMs={view.period.startMs}
        endMs={view.period.endMs}
        points={view.invalidPoints}
        unit="count"
      />
      <p class="summary">{view.invalidSummary}</p>
    </>
  );
}

export function InvalidByCountry({ view }: { view: DashboardView }) {
  if (!view.invalid) return <p class="empty">The first sweep of the proxy list has not finished yet.</p>;
  return (
    <>
      <p>
        <strong data-field="invalid-count">{view.invalid.count}</strong> of {view.invalid.total} invalid (
        {formatPercent(view.invalid.ratio * 100)})
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Country</th>
            <th scope="col" class="num">
              Invalid
            </th>
            <th scope="col">Share</th>
          </tr>
        </thead>
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
                  label={`${row.country}: ${row.invalid} of ${row.total} invalid`}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function SubUsersSection({ view }: { view: DashboardView }) {
  if (view.subusers.length === 0) return <p class="empty">No sub-users.</p>;
  return (
    <table data-list="subusers">
      <thead>
        <tr>
          <th scope="col">Sub-user</th>
          <th scope="col" class="num">
            Used of limit
          </th>
          <th scope="col">Usage</th>
        </tr>
      </thead>
      <tbody>
        {view.subusers.map((s) => {
          const text = `${formatBytes(s.proxy_usage)} of ${s.limitBytes === null ? 'unlimited' : formatBytes(s.limitBytes)}${s.usage_percent === null ? '' : ` (${formatPercent(s.usage_percent)})`}`;
          return (
            <tr>
              <td>{s.label}</td>
              <td class="num">{text}</td>
              <td>
                <UsageBar percent={s.usage_percent} label={`${s.label}: ${text}`} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function NotificationsSection({ view }: { view: DashboardView }) {
  if (view.notifications.length === 0) return <p class="empty">None sent yet.</p>;
  return (
    <ul class="notifications" data-list="notifications">
      {view.notifications.map((group) => (
        <li class={group.event === 'alert.resolved' ? 'resolved' : undefined} data-event={group.event}>
          <div>
            <time datetime={group.at}>{shortTime(group.at)}</time> <strong>{group.title}</strong>
          </div>
          {group.detail ? <div data-field="resolution">{group.detail}</div> : null}
          <div class="channels">
            {group.channels.map((c) => (
              <span class={`outcome ${c.outcome}`} data-channel={c.channel}>
                {c.channel}: {c.outcome}
                {c.status && c.outcome !== 'delivered' ? ` (${c.status})` : ''}
              </span>
            ))}
          </div>
        </li>
      ))}
    </ul>
  );
}

export function RemediationSection({ view }: { view: DashboardView }) {
  if (view.remediation.length === 0 && view.replacements.length === 0) {
    return <p class="empty">No replacement or remediation action yet.</p>;
  }
  return (
    <>
      {view.remediation.length > 0 ? (
        <div class="scroll">
          <table data-list="remediation">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {view.remediation.map((entry) => (
                <tr title={entry.detail}>
                  <td class="num">{shortTime(entry.at)}</td>
                  <td>
                    {entry.action}
                    {entry.mode === 'dry_run' ? ' (dry run)' : ''}
                  </td>
                  <td>{entry.target}</td>
                  <td>{entry.outcome.replaceAll('_', ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {view.replacements.length > 0 ? (
        <>
          <h3>Recent replacements</h3>
          <table data-list="replacements">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Proxy</th>
                <th scope="col">Replaced by</th>
              </tr>
            </thead>
            <tbody>
              {view.replacements.slice(0, 10).map((r) => (
                <tr>
                  <td class="num">{shortTime(r.at)}</td>
                  <td>{r.address}</td>
                  <td>{r.new_address ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}
