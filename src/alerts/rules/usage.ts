/** Bandwidth rules: thresholds with hysteresis, and the projected overage before the period ends. */
import type { Snapshot } from '../../model/snapshot';
import { formatBytes, formatDay, formatPercent, formatTime } from '../../lib/format';
import type { Evaluation } from '../types';
import { type RuleInput, type Base, unknown, ok, stepWithHysteresis, snapshotTimeMs, round } from './shared';

// ---------------------------------------------------------------- bandwidth

export function bandwidthRule({ current, config, prior }: RuleInput): Evaluation {
  const base: Base = { key: 'bandwidth', rule: 'bandwidth' };
  const stats = current.stats;
  if (!stats) return unknown(base);
  if (stats.bandwidth_limit <= 0) return ok(base);
  const { thresholds_percent: thresholds, hysteresis_percent, critical_percent } = config.bandwidth;
  const percent = (stats.bandwidth_used / stats.bandwidth_limit) * 100;
  const level = stepWithHysteresis(percent, thresholds, prior[base.key] ?? 0, hysteresis_percent);
  const values = {
    percent: round(percent),
    used_bytes: stats.bandwidth_used,
    limit_bytes: stats.bandwidth_limit,
    projected_bytes: stats.bandwidth_projected,
  };
  if (level === 0) return ok(base, values);
  const threshold = thresholds[level - 1] ?? 0;
  const left = Math.max(0, stats.bandwidth_limit - stats.bandwidth_used);
  const projected = projectedText(current);
  return {
    ...base,
    status: 'firing',
    level,
    severity: threshold >= critical_percent ? 'critical' : 'warning',
    title: `Bandwidth at ${formatPercent(percent)} of ${formatBytes(stats.bandwidth_limit)}`,
    summary:
      `Bandwidth at ${formatPercent(percent)} of ${formatBytes(stats.bandwidth_limit)} ` +
      `(${formatBytes(stats.bandwidth_used)} used, ${formatBytes(left)} left), ` +
      `past the ${threshold}% threshold${projected ? `; ${projected}` : ''}.`,
    fields: [
      { label: 'Used', value: formatBytes(stats.bandwidth_used) },
      { label: 'Limit', value: formatBytes(stats.bandwidth_limit) },
      { label: 'Threshold', value: `${threshold}%` },
      ...(stats.bandwidth_projected !== null
        ? [{ label: 'Projected', value: formatBytes(stats.bandwidth_projected) }]
        : []),
    ],
    usage: { percent: round(percent) },
    values: { ...values, threshold_percent: threshold },
  };
}

function projectedText(current: Snapshot): string | null {
  const projected = current.stats?.bandwidth_projected;
  if (projected === null || projected === undefined) return null;
  const end = current.subscription ? Date.parse(current.subscription.end_date) : NaN;
  return `projected ${formatBytes(projected)}${Number.isNaN(end) ? '' : ` by ${formatDay(end)}`}`;
}

// ---------------------------------------------------------------- projection

/**
 * Bytes per millisecond over the current billing period, by least squares over the history and the
 * current snapshot. Samples before the last counter reset (a drop in usage) are ignored.
 */
export function forecastRate(
  samples: Snapshot[],
  periodStartMs: number,
  minSamples: number,
  minSpanMs = 0,
): number | null {
  let points: { t: number; used: number }[] = [];
  for (const s of samples) {
    if (!s.stats) continue;
    const t = snapshotTimeMs(s);
    if (t < periodStartMs) continue;
    const last = points[points.length - 1];
    if (last && s.stats.bandwidth_used < last.used) points = []; // reset
    if (last && t <= last.t) continue;
    points.push({ t, used: s.stats.bandwidth_used });
  }
  if (points.length < minSamples) return null;
  if ((points[points.length - 1]?.t ?? 0) - (points[0]?.t ?? 0) < minSpanMs) return null;
  const n = points.length;
  const meanT = points.reduce((sum, p) => sum + p.t, 0) / n;
  const meanU = points.reduce((sum, p) => sum + p.used, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - meanT) * (p.used - meanU);
    den += (p.t - meanT) ** 2;
  }
  if (den === 0) return null;
  return Math.max(0, num / den);
}

export function projectionRule({ current, history, config, prior }: RuleInput): Evaluation {
  const base: Base = { key: 'projection', rule: 'projection' };
  if (!config.projection.enabled) return ok(base);
  const stats = current.stats;
  const subscription = current.subscription;
  if (!stats || !subscription) return unknown(base);
  if (stats.bandwidth_limit <= 0) return ok(base);
  const now = snapshotTimeMs(current);
  const end = Date.parse(subscription.end_date);
  const start = Date.parse(subscription.start_date);
  // Already over the limit (the bandwidth alert says so) or past the period: nothing left to forecast.
  if (stats.bandwidth_used >= stats.bandwidth_limit || Number.isNaN(end) || end <= now) return unknown(base);

  const historyRate = forecastRate(
    [...history, current],
    Number.isNaN(start) ? 0 : start,
    config.projection.min_samples,
    config.projection.min_history_hours * 3_600_000,
  );
  const projected =
    stats.bandwidth_projected ??
    (historyRate !== null ? stats.bandwidth_used + historyRate * (end - now) : null);
  if (projected === null) return unknown(base);
  const rate =
    historyRate && historyRate > 0
      ? historyRate
      : Math.max(0, (projected - stats.bandwidth_used) / (end - now));
  const runsOutAt = rate > 0 ? now + (stats.bandwidth_limit - stats.bandwidth_used) / rate : null;

  const percent = (projected / stats.bandwidth_limit) * 100;
  const active = (prior[base.key] ?? 0) > 0;
  const limitPercent = active ? 100 - config.bandwidth.hysteresis_percent : 100;
  const values = {
    projected_bytes: Math.round(projected),
    limit_bytes: stats.bandwidth_limit,
    used_bytes: stats.bandwidth_used,
    period_end: new Date(end).toISOString(),
    runs_out_at: runsOutAt !== null && runsOutAt < end ? new Date(runsOutAt).toISOString() : null,
    source: stats.bandwidth_projected !== null ? 'webshare' : 'history',
  };
  if (!(percent > limitPercent || (active && percent >= limitPercent))) return ok(base, values);
  const runOut = runsOutAt !== null && runsOutAt < end ? ` — runs out around ${formatTime(runsOutAt)}` : '';
  return {
    ...base,
    status: 'firing',
    level: 1,
    severity: 'warning',
    title: `Bandwidth projected to exceed ${formatBytes(stats.bandwidth_limit)} by ${formatDay(end)}`,
    summary:
      `Projected ${formatBytes(projected)} of ${formatBytes(stats.bandwidth_limit)} by ${formatDay(end)}` +
      `${runOut} (${formatBytes(stats.bandwidth_used)} used so far).`,
    fields: [
      { label: 'Projected', value: `${formatBytes(projected)} (${formatPercent(percent)})` },
      { label: 'Limit', value: formatBytes(stats.bandwidth_limit) },
      { label: 'Period ends', value: formatTime(end) },
      ...(runOut ? [{ label: 'Runs out', value: formatTime(runsOutAt as number) }] : []),
    ],
    usage: { percent: round((stats.bandwidth_used / stats.bandwidth_limit) * 100) },
    values,
  };
}
