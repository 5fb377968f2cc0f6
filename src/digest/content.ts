/**
 * The digest message: how the billing period is going (bandwidth used and projected), the invalid-
 * proxy trend, the top sub-users, and the alerts and remediation of the digest's span. Pure: built
 * from the poller state the tick is about to write (its daily rollups and latest snapshot).
 */
import { formatBytes, formatDay, formatPercent } from '../lib/format';
import type { Field, Notification } from '../model/notification';
import type { PollerState } from '../model/poller-state';
import type { RollupPoint } from '../model/rollup';
import { dailyPoints } from '../poller/rollup';
import type { DigestPeriod } from './schedule';

/** Deterministic per period, so a receiver (and the outbox) sees one message per period. */
export function digestNotificationId(period: DigestPeriod): string {
  return `digest:${period.id}`;
}

function bandwidthField(state: PollerState): { fields: Field[]; percent: number | null; line: string } {
  const stats = state.latest?.stats;
  if (!stats) return { fields: [], percent: null, line: 'Bandwidth: no figures this tick.' };
  const limited = stats.bandwidth_limit > 0;
  const percent = limited ? (stats.bandwidth_used / stats.bandwidth_limit) * 100 : null;
  const used = `${formatBytes(stats.bandwidth_used)}${limited ? ` of ${formatBytes(stats.bandwidth_limit)} (${formatPercent(percent!)})` : ' (unlimited plan)'}`;
  const end = state.latest?.subscription?.end_date;
  const projected =
    stats.bandwidth_projected === null
      ? null
      : `${formatBytes(stats.bandwidth_projected)}${limited ? ` (${formatPercent((stats.bandwidth_projected / stats.bandwidth_limit) * 100)})` : ''}${end ? ` by ${formatDay(Date.parse(end))}` : ''}`;
  const fields: Field[] = [{ label: 'Bandwidth used', value: used }];
  if (projected) fields.push({ label: 'Projected for the period', value: projected });
  return {
    fields,
    percent,
    line: `Bandwidth: ${used}${projected ? `, projected ${projected}` : ''}.`,
  };
}

/** "3 → 5 → 20 (of 100)": the invalid count at the end of each day of the span. */
function invalidTrend(days: RollupPoint[], state: PollerState): string | null {
  const counts = days.map((d) => d.invalid).filter((v): v is number => v !== null);
  if (counts.length === 0) return null;
  const total = state.latest?.sweep?.total ?? days.at(-1)?.proxies_total ?? null;
  return `${counts.join(' → ')}${total === null ? '' : ` (of ${total})`}`;
}

function topSubUsers(state: PollerState, count: number): string | null {
  const subusers = [...(state.latest?.subusers ?? [])].sort((a, b) => b.proxy_usage - a.proxy_usage);
  if (subusers.length === 0) return null;
  return subusers
    .slice(0, count)
    .map(
      (s) =>
        `${s.label}: ${formatBytes(s.proxy_usage)}${s.proxy_limit_gb > 0 ? ` of ${s.proxy_limit_gb} GB` : ''}${s.usage_percent === null ? '' : ` (${formatPercent(s.usage_percent)})`}`,
    )
    .join('\n');
}

export function buildDigest(input: {
  period: DigestPeriod;
  state: PollerState;
  topSubusers: number;
  nowMs: number;
}): Notification {
  const { period, state, nowMs } = input;
  const days = dailyPoints(state.rollups).filter((d) => Date.parse(d.taken_at) >= period.fromMs);
  const bandwidth = bandwidthField(state);
  const trend = invalidTrend(days, state);
  const alertKeys = [...new Set(days.flatMap((d) => d.alerts))].sort();
  const firingNow = (state.alert_summary?.alerts ?? []).filter((a) => a.status === 'firing').length;
  const replaced = days.reduce((sum, d) => sum + d.replaced, 0);
  const refreshed = days.reduce((sum, d) => sum + d.refreshed, 0);
  const skipped = days.reduce((sum, d) => sum + d.remediation_skipped, 0);
  const span = period.schedule === 'weekly' ? 'this week' : 'since yesterday';
  const subusers = topSubUsers(state, input.topSubusers);

  const fields: Field[] = [...bandwidth.fields];
  if (trend) fields.push({ label: 'Invalid proxies, day by day', value: trend });
  if (subusers) fields.push({ label: 'Top sub-users', value: subusers });
  fields.push({
    label: `Alerts ${span}`,
    value: alertKeys.length === 0 ? 'none' : alertKeys.join(', '),
  });
  fields.push({
    label: `Remediation ${span}`,
    value: `${replaced} replaced, ${refreshed} list refresh(es), ${skipped} skipped`,
  });

  const summary = [
    bandwidth.line,
    `${alertKeys.length} alert(s) fired ${span}; ${firingNow} firing now.`,
    replaced + refreshed > 0 ? `Auto-remediation replaced ${replaced} proxies ${span}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const latestStats = state.latest?.stats;
  return {
    id: digestNotificationId(period),
    event: 'message',
    severity: 'info',
    title: `${period.schedule === 'weekly' ? 'Weekly' : 'Daily'} digest ${period.id}`,
    summary,
    fields,
    ...(bandwidth.percent === null ? {} : { usage: { percent: bandwidth.percent } }),
    occurred_at: new Date(nowMs).toISOString(),
    values: {
      kind: 'digest',
      period: period.id,
      bandwidth_used_bytes: latestStats?.bandwidth_used ?? null,
      bandwidth_limit_bytes: latestStats?.bandwidth_limit ?? null,
      bandwidth_projected_bytes: latestStats?.bandwidth_projected ?? null,
      invalid_proxies: state.latest?.sweep?.invalid ?? null,
      alerts_fired: alertKeys.length,
      proxies_replaced: replaced,
    },
  };
}
