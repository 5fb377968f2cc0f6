/** The dashboard's sections, each a small function of the view model to HTML. No script anywhere. */
import { html, raw } from 'hono/html';
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
  return html`<div class="chart-box"><div class="chart-wide">${PeriodChart({ ...props, layout: 'wide' })}</div><div class="chart-narrow">${PeriodChart({ ...props, layout: 'narrow' })}</div></div>`;
}

export function BandwidthSection({ view }: { view: DashboardView }) {
  const bw = view.bandwidth;
  if (!bw) return html`<p class="empty">No bandwidth figures yet.</p>`;
  const gauge = Gauge({
    id: 'bandwidth-gauge',
    percent: bw.percent,
    label: 'Bandwidth used',
    sublabel:
      bw.limitBytes > 0 ? `${formatBytes(bw.usedBytes)} of ${formatBytes(bw.limitBytes)}` : 'unlimited plan',
  });
  const projected =
    bw.projectedBytes === null
      ? '—'
      : `${formatBytes(bw.projectedBytes)}${bw.projectedPercent === null ? '' : ` (${formatPercent(bw.projectedPercent)})`}`;
  return html`<div class="kpis">${gauge}<dl>${[
    html`<dt>Used</dt><dd>${formatBytes(bw.usedBytes)}</dd>`,
    html`<dt>Limit</dt><dd>${bw.limitBytes > 0 ? formatBytes(bw.limitBytes) : 'unlimited'}</dd>`,
    html`<dt>Projected</dt><dd data-field="projected">${projected}</dd>`,
    html`<dt>Period ends</dt><dd>${time(bw.periodEnd)}</dd>`,
  ]}</dl></div>`;
}

export function PeriodSection({ view }: { view: DashboardView }) {
  const unit = view.usageUnit === 'percent' ? '% of the limit' : 'GB';
  const chart = ResponsiveChart({
    id: 'bandwidth',
    title: `Bandwidth used this billing period, ${unit}`,
    description: view.usageSummary,
    startMs: view.period.startMs,
    endMs: view.period.endMs,
    points: view.usagePoints,
    unit: view.usageUnit,
    projection: view.projection,
    guides:
      view.usageUnit === 'percent' ? view.thresholds.map((value) => ({ value, label: `${value}%` })) : [],
  });
  const rows = view.periodRows.map(
    (row) =>
      html`<tr><td>${row.day}</td><td class="num">${row.usedBytes === null ? '—' : formatBytes(row.usedBytes)}${row.usedPercent === null ? '' : ` (${formatPercent(row.usedPercent)})`}</td><td class="num">${row.invalid ?? '—'}</td></tr>`,
  );
  return html`<h2>Bandwidth this billing period (${unit})</h2>${chart}${[
    html`<p class="legend"><span class="key used">used so far</span><span class="key projected">projection to the period end</span><span class="key threshold">alert thresholds</span></p>`,
    html`<p class="summary" data-field="usage-summary">${view.usageSummary}</p>`,
    html`<details><summary>Day by day</summary><table data-list="period-days"><thead><tr><th scope="col">Day (UTC)</th><th scope="col" class="num">Used</th><th scope="col" class="num">Invalid proxies</th></tr></thead><tbody>${rows}</tbody></table></details>`,
  ]}`;
}

export function InvalidTrendSection({ view }: { view: DashboardView }) {
  const chart = ResponsiveChart({
    id: 'invalid',
    title: 'Invalid proxies this billing period, per finished sweep',
    description: view.invalidSummary,
    startMs: view.period.startMs,
    endMs: view.period.endMs,
    points: view.invalidPoints,
    unit: 'count',
  });
  return html`<h2>Invalid proxies this period</h2>${chart}<p class="summary">${view.invalidSummary}</p>`;
}

export function InvalidByCountry({ view }: { view: DashboardView }) {
  if (!view.invalid)
    return html`<p class="empty">The first sweep of the proxy list has not finished yet.</p>`;
  const rows = view.invalid.byCountry.slice(0, 8).map((row) => {
    const bar = UsageBar({
      percent: (row.invalid / Math.max(1, row.total)) * 100,
      label: `${row.country}: ${row.invalid} of ${row.total} invalid`,
    });
    return html`<tr><td>${row.country}</td><td class="num">${row.invalid} / ${row.total}</td><td>${bar}</td></tr>`;
  });
  return html`<p><strong data-field="invalid-count">${view.invalid.count}</strong> of ${view.invalid.total} invalid (${formatPercent(view.invalid.ratio * 100)})</p><table><thead><tr><th scope="col">Country</th><th scope="col" class="num">Invalid</th><th scope="col">Share</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function SubUsersSection({ view }: { view: DashboardView }) {
  if (view.subusers.length === 0) return html`<p class="empty">No sub-users.</p>`;
  const rows = view.subusers.map((s) => {
    const text = `${formatBytes(s.proxy_usage)} of ${s.limitBytes === null ? 'unlimited' : formatBytes(s.limitBytes)}${s.usage_percent === null ? '' : ` (${formatPercent(s.usage_percent)})`}`;
    const bar = UsageBar({ percent: s.usage_percent, label: `${s.label}: ${text}` });
    return html`<tr><td>${s.label}</td><td class="num">${text}</td><td>${bar}</td></tr>`;
  });
  return html`<table data-list="subusers"><thead><tr><th scope="col">Sub-user</th><th scope="col" class="num">Used of limit</th><th scope="col">Usage</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function NotificationsSection({ view }: { view: DashboardView }) {
  if (view.notifications.length === 0) return html`<p class="empty">None sent yet.</p>`;
  const items = view.notifications.map((group) => {
    const channels = group.channels.map(
      (c) =>
        html`<span class="outcome ${c.outcome}" data-channel="${c.channel}">${c.channel}: ${c.outcome}${c.status && c.outcome !== 'delivered' ? ` (${c.status})` : ''}</span>`,
    );
    const resolved = group.event === 'alert.resolved' ? raw(' class="resolved"') : '';
    return html`<li${resolved} data-event="${group.event}"><div><time datetime="${group.at}">${shortTime(group.at)}</time> <strong>${group.title}</strong></div>${group.detail ? html`<div data-field="resolution">${group.detail}</div>` : null}<div class="channels">${channels}</div></li>`;
  });
  return html`<ul class="notifications" data-list="notifications">${items}</ul>`;
}

export function RemediationSection({ view }: { view: DashboardView }) {
  if (view.remediation.length === 0 && view.replacements.length === 0) {
    return html`<p class="empty">No replacement or remediation action yet.</p>`;
  }
  const actions = view.remediation.map(
    (entry) =>
      html`<tr title="${entry.detail}"><td class="num">${shortTime(entry.at)}</td><td>${entry.action}${entry.mode === 'dry_run' ? ' (dry run)' : ''}</td><td>${entry.target}</td><td>${entry.outcome.replaceAll('_', ' ')}</td></tr>`,
  );
  const replacements = view.replacements
    .slice(0, 10)
    .map(
      (r) =>
        html`<tr><td class="num">${shortTime(r.at)}</td><td>${r.address}</td><td>${r.new_address ?? '—'}</td></tr>`,
    );
  return html`${
    actions.length > 0
      ? html`<div class="scroll"><table data-list="remediation"><thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Outcome</th></tr></thead><tbody>${actions}</tbody></table></div>`
      : null
  }${
    replacements.length > 0
      ? html`<h3>Recent replacements</h3><table data-list="replacements"><thead><tr><th scope="col">When</th><th scope="col">Proxy</th><th scope="col">Replaced by</th></tr></thead><tbody>${replacements}</tbody></table>`
      : null
  }`;
}
