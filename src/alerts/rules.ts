/**
 * Alert rules: pure functions of (previous snapshot, current snapshot, history, config, the level each
 * alert currently holds). Each returns an Evaluation per alert key: firing, ok, or unknown (the data to
 * decide is missing this tick, so the alert keeps its state — a failed stats call never "resolves"
 * a bandwidth alert). Hysteresis lives here: an active alert stays at a step until the metric falls
 * below that step's threshold minus the configured margin.
 */
import type { Snapshot, SweepResult } from '../poller/snapshot';
import type { AlertsConfig } from './config';
import { formatBytes, formatDay, formatDuration, formatPercent, formatTime } from './format';
import type { Evaluation, RuleName } from './types';

export interface RuleInput {
  current: Snapshot;
  previous: Snapshot | null;
  /** Older snapshots, oldest first (may be empty). */
  history: Snapshot[];
  config: AlertsConfig;
  /** Level each active (pending or firing) alert holds now, by key; absent = inactive. */
  prior: Readonly<Record<string, number>>;
}

export interface RuleOutput {
  evaluations: Evaluation[];
  /** Rules whose keys were not evaluated this tick (their data is missing): every such alert holds. */
  held: RuleName[];
}

const DAY_MS = 86_400_000;

/** Evaluates every rule. */
export function evaluateRules(input: RuleInput): RuleOutput {
  const evaluations: Evaluation[] = [
    bandwidthRule(input),
    projectionRule(input),
    invalidProxiesRule(input),
    failureRateRule(input),
    refreshesRule(input),
    replacementsRule(input),
    subscriptionEndingRule(input),
    ...watchdogRules(input),
  ];
  const held: RuleName[] = [];
  if (input.current.subusers === null) held.push('subuser_usage');
  else evaluations.push(...subuserRules(input));
  return { evaluations, held };
}

/** The time the snapshot describes. */
export function snapshotTimeMs(snapshot: Snapshot): number {
  const taken = Date.parse(snapshot.taken_at);
  return Number.isNaN(taken) ? snapshot.scheduled_time : taken;
}

type Base = Pick<Evaluation, 'key' | 'rule'>;

function unknown(base: Base): Evaluation {
  return {
    ...base,
    status: 'unknown',
    level: 0,
    severity: 'info',
    title: '',
    summary: '',
    fields: [],
    values: {},
  };
}

function ok(base: Base, values: Evaluation['values'] = {}): Evaluation {
  return { ...base, status: 'ok', level: 0, severity: 'info', title: '', summary: '', fields: [], values };
}

/**
 * Step reached by `value` over ascending `thresholds`, 0 when below the first. An alert already at
 * step `prior` keeps every step whose threshold minus `margin` the value still reaches.
 */
export function stepWithHysteresis(
  value: number,
  thresholds: number[],
  prior: number,
  margin: number,
): number {
  let raw = 0;
  thresholds.forEach((t, i) => {
    if (value >= t) raw = i + 1;
  });
  let hold = 0;
  for (let step = Math.min(prior, thresholds.length); step >= 1; step--) {
    if (value >= (thresholds[step - 1] ?? Infinity) - margin) {
      hold = step;
      break;
    }
  }
  return Math.max(raw, hold);
}

// ---------------------------------------------------------------- bandwidth

function bandwidthRule({ current, config, prior }: RuleInput): Evaluation {
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

function projectionRule({ current, history, config, prior }: RuleInput): Evaluation {
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

// ---------------------------------------------------------------- invalid proxies

export function worstCountries(
  sweep: SweepResult,
  limit: number,
): { code: string; invalid: number; total: number }[] {
  return Object.entries(sweep.by_country)
    .filter(([, c]) => c.invalid > 0)
    .map(([code, c]) => ({ code, invalid: c.invalid, total: c.total }))
    .sort(
      (a, b) =>
        b.invalid - a.invalid || b.invalid / b.total - a.invalid / a.total || a.code.localeCompare(b.code),
    )
    .slice(0, limit);
}

function invalidProxiesRule({ current, previous, config, prior }: RuleInput): Evaluation {
  const base: Base = { key: 'invalid_proxies', rule: 'invalid_proxies' };
  const sweep = current.sweep;
  if (!sweep) return unknown(base);
  const cfg = config.invalid_proxies;
  const before = previous?.sweep ?? null;
  const newSweep = before !== null && before.finished_at !== sweep.finished_at;
  const increase = newSweep ? sweep.invalid - before.invalid : 0;
  const spike = newSweep && increase >= cfg.spike_count;
  const ratio = sweep.invalid_ratio * 100;
  const active = (prior[base.key] ?? 0) > 0;
  const ratioFiring = ratio >= (active ? cfg.ratio_percent - cfg.hysteresis_percent : cfg.ratio_percent);
  const values = {
    invalid: sweep.invalid,
    total: sweep.total,
    ratio_percent: round(ratio),
    increase: newSweep ? increase : null,
    sweep_finished_at: sweep.finished_at,
  };
  if (!ratioFiring && !spike) {
    // A spike alert stays until a newer sweep shows it is over.
    return active && !newSweep ? unknown(base) : ok(base, values);
  }
  const countries = worstCountries(sweep, cfg.top_countries);
  const countryText = countries
    .map(
      (c) =>
        `${c.code} ${c.invalid}/${c.total} (${formatPercent(c.total ? (c.invalid / c.total) * 100 : 0)})`,
    )
    .join(', ');
  const spikeText = spike ? `, up ${increase} since the previous sweep` : '';
  return {
    ...base,
    status: 'firing',
    level: 1,
    severity: 'warning',
    title: spike ? `Invalid proxies up by ${increase}` : `${formatPercent(ratio)} of proxies invalid`,
    summary:
      `${sweep.invalid} of ${sweep.total} proxies invalid (${formatPercent(ratio)})${spikeText}` +
      `${countryText ? `; worst countries: ${countryText}` : ''}.`,
    fields: [
      { label: 'Invalid', value: `${sweep.invalid} of ${sweep.total}` },
      { label: 'Ratio', value: formatPercent(ratio) },
      ...(spike ? [{ label: 'Since previous sweep', value: `+${increase}` }] : []),
      ...(countryText ? [{ label: 'Worst countries', value: countryText }] : []),
    ],
    usage: { percent: round(ratio) },
    values: { ...values, worst_countries: countries.map((c) => c.code).join(',') },
  };
}

// ---------------------------------------------------------------- failure rate

function failureRateRule({ current, previous, config, prior }: RuleInput): Evaluation {
  const base: Base = { key: 'failure_rate', rule: 'failure_rate' };
  const now = current.stats;
  const before = previous?.stats;
  if (!now || !before) return unknown(base);
  const total = now.requests_total - before.requests_total;
  const failed = now.requests_failed - before.requests_failed;
  if (total < 0 || failed < 0) return unknown(base); // counters reset: no interval to judge
  const cfg = config.failure_rate;
  if (total < cfg.min_requests || total === 0) return ok(base, { requests: total, failed });
  const rate = (failed / total) * 100;
  const active = (prior[base.key] ?? 0) > 0;
  const values = { requests: total, failed, rate_percent: round(rate) };
  if (rate < (active ? cfg.threshold_percent - cfg.hysteresis_percent : cfg.threshold_percent)) {
    return ok(base, values);
  }
  const reasons = Object.entries(now.requests_error_reasons)
    .map(([reason, count]) => ({ reason, count: count - (before.requests_error_reasons[reason] ?? 0) }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
    .slice(0, 3);
  const reasonText = reasons.map((r) => `${r.reason} (${r.count})`).join(', ');
  return {
    ...base,
    status: 'firing',
    level: 1,
    severity: 'warning',
    title: `Request failure rate at ${formatPercent(rate)}`,
    summary:
      `${failed} of ${total} requests failed since the previous check (${formatPercent(rate)}, ` +
      `threshold ${cfg.threshold_percent}%)${reasonText ? `; top errors: ${reasonText}` : ''}.`,
    fields: [
      { label: 'Failed', value: `${failed} of ${total}` },
      { label: 'Rate', value: formatPercent(rate) },
      ...(reasonText ? [{ label: 'Top errors', value: reasonText }] : []),
    ],
    usage: { percent: round(rate) },
    values: { ...values, top_errors: reasons.map((r) => r.reason).join(',') },
  };
}

// ---------------------------------------------------------------- quotas

function refreshesRule({ current, config }: RuleInput): Evaluation {
  const base: Base = { key: 'refreshes_exhausted', rule: 'refreshes_exhausted' };
  if (!config.quotas.refreshes_exhausted) return ok(base);
  const q = current.quotas;
  if (!q) return unknown(base);
  const values = { used: q.ondemand_refreshes_used, total: q.ondemand_refreshes_total };
  if (q.ondemand_refreshes_total <= 0 || q.ondemand_refreshes_available > 0) return ok(base, values);
  const next = q.automatic_refresh_next_at ? Date.parse(q.automatic_refresh_next_at) : NaN;
  const nextText = Number.isNaN(next) ? '' : `; the next automatic refresh is at ${formatTime(next)}`;
  return {
    ...base,
    status: 'firing',
    level: 1,
    severity: 'warning',
    title: 'On-demand proxy refreshes exhausted',
    summary: `All ${q.ondemand_refreshes_total} on-demand refreshes of this period are used${nextText}.`,
    fields: [
      { label: 'Refreshes used', value: `${q.ondemand_refreshes_used} of ${q.ondemand_refreshes_total}` },
    ],
    values,
  };
}

function replacementsRule({ current, config }: RuleInput): Evaluation {
  const base: Base = { key: 'replacements_exhausted', rule: 'replacements_exhausted' };
  if (!config.quotas.replacements_exhausted) return ok(base);
  const q = current.quotas;
  if (!q) return unknown(base);
  const values = { used: q.proxy_replacements_used, total: q.proxy_replacements_total };
  if (q.proxy_replacements_total <= 0 || q.proxy_replacements_available > 0) return ok(base, values);
  return {
    ...base,
    status: 'firing',
    level: 1,
    severity: 'warning',
    title: 'Proxy replacements exhausted',
    summary: `All ${q.proxy_replacements_total} proxy replacements of this period are used; invalid proxies cannot be replaced until the quota resets.`,
    fields: [
      { label: 'Replacements used', value: `${q.proxy_replacements_used} of ${q.proxy_replacements_total}` },
    ],
    values,
  };
}

function subscriptionEndingRule({ current, config }: RuleInput): Evaluation {
  const base: Base = { key: 'subscription_ending', rule: 'subscription_ending' };
  const days = config.quotas.subscription_ending_days;
  if (days <= 0) return ok(base);
  const sub = current.subscription;
  if (!sub) return unknown(base);
  const end = Date.parse(sub.end_date);
  if (Number.isNaN(end)) return unknown(base);
  const left = end - snapshotTimeMs(current);
  const values = { end_date: sub.end_date, days_left: round(left / DAY_MS) };
  if (left > days * DAY_MS) return ok(base, values);
  const critical = left <= DAY_MS;
  const when = left > 0 ? `in ${formatDuration(left)}` : `${formatDuration(-left)} ago`;
  return {
    ...base,
    status: 'firing',
    level: critical ? 2 : 1,
    severity: critical ? 'critical' : 'warning',
    title: left > 0 ? `Subscription ends ${when}` : 'Subscription has ended',
    summary:
      `The subscription (${sub.proxy_count} ${sub.proxy_type} proxies) ${left > 0 ? 'ends' : 'ended'} ` +
      `${formatTime(end)}, ${when}; bandwidth resets then and the plan must renew.`,
    fields: [
      { label: 'Ends', value: formatTime(end) },
      { label: 'Plan', value: `${sub.proxy_count} ${sub.proxy_type} proxies` },
    ],
    values,
  };
}

// ---------------------------------------------------------------- sub-users

function subuserRules({ current, config, prior }: RuleInput): Evaluation[] {
  const cfg = config.subusers;
  const thresholds = [...new Set([cfg.usage_percent, 100])].sort((a, b) => a - b);
  return (current.subusers ?? []).map((user) => {
    const base: Base = { key: `subuser:${user.id}`, rule: 'subuser_usage' };
    if (user.usage_percent === null || user.proxy_limit_gb <= 0) return ok(base);
    const percent = user.usage_percent;
    const level = stepWithHysteresis(percent, thresholds, prior[base.key] ?? 0, cfg.hysteresis_percent);
    const values = {
      subuser_id: user.id,
      label: user.label,
      percent: round(percent),
      limit_gb: user.proxy_limit_gb,
    };
    if (level === 0) return ok(base, values);
    const threshold = thresholds[level - 1] ?? 0;
    const limitBytes = user.proxy_limit_gb * 1024 ** 3;
    return {
      ...base,
      status: 'firing',
      level,
      severity: threshold >= 100 ? 'critical' : 'warning',
      title: `Sub-user ${user.label} at ${formatPercent(percent)} of its limit`,
      summary:
        `Sub-user ${user.label} (#${user.id}) used ${formatBytes(user.proxy_usage)} of its ` +
        `${formatBytes(limitBytes)} limit (${formatPercent(percent)}), past ${threshold}%.`,
      fields: [
        { label: 'Sub-user', value: `${user.label} (#${user.id})` },
        { label: 'Used', value: `${formatBytes(user.proxy_usage)} of ${formatBytes(limitBytes)}` },
      ],
      usage: { percent: round(percent) },
      values: { ...values, threshold_percent: threshold },
    };
  });
}

// ---------------------------------------------------------------- watchdog

/**
 * The watcher is watched. The poller counts consecutive ticks in which Webshare could not be reached
 * or rejected the key (`consecutive_failed_ticks`); at `failed_ticks` this fires — from the count in
 * the snapshot, so waiting costs no state writes. A 401 among the errors means the key was rejected.
 */
function watchdogRules({ current, config }: RuleInput): Evaluation[] {
  const k = config.watchdog.failed_ticks;
  const streak = current.consecutive_failed_ticks ?? 0;
  const failing = streak >= k;
  const rejected = current.errors.filter((e) => e.status === 401);
  const describe = (errors: Snapshot['errors']) =>
    errors
      .map((e) => `${e.source}: ${e.status ?? e.kind.replace(/^Webshare|Error$/g, '').toLowerCase()}`)
      .join(', ');
  const values = { consecutive_failed_ticks: streak };
  const auth: Evaluation =
    failing && rejected.length > 0
      ? {
          key: 'webshare_auth',
          rule: 'webshare_auth',
          status: 'firing',
          level: 1,
          severity: 'critical',
          title: 'Webshare rejects the API key (401)',
          summary:
            `Webshare answered 401 for ${streak} ticks in a row (${describe(rejected)}): ` +
            'WEBSHARE_API_KEY was revoked or is wrong, so nothing is being watched.',
          fields: [
            { label: 'Failing', value: describe(rejected) },
            { label: 'Ticks in a row', value: String(streak) },
          ],
          values,
        }
      : ok({ key: 'webshare_auth', rule: 'webshare_auth' }, values);
  const down: Evaluation =
    failing && rejected.length === 0
      ? {
          key: 'webshare_unreachable',
          rule: 'webshare_unreachable',
          status: 'firing',
          level: 1,
          severity: 'critical',
          title: 'Webshare unreachable',
          summary:
            `Webshare has not answered for ${streak} ticks in a row (${describe(current.errors) || 'no answer'}); ` +
            'alerts are blind until it does.',
          fields: [
            { label: 'Failing', value: describe(current.errors) || 'no answer' },
            { label: 'Ticks in a row', value: String(streak) },
          ],
          values,
        }
      : ok({ key: 'webshare_unreachable', rule: 'webshare_unreachable' }, values);
  return [auth, down];
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** One sentence saying what the metric is now, for a resolved message. */
export function resolvedText(evaluation: Evaluation): string {
  const v = evaluation.values;
  const num = (name: string): number | null => (typeof v[name] === 'number' ? (v[name] as number) : null);
  switch (evaluation.rule) {
    case 'bandwidth': {
      const percent = num('percent');
      const limit = num('limit_bytes');
      return percent !== null && limit !== null
        ? `Bandwidth is back to ${formatPercent(percent)} of ${formatBytes(limit)}.`
        : 'Bandwidth is back under the thresholds.';
    }
    case 'projection': {
      const projected = num('projected_bytes');
      const limit = num('limit_bytes');
      return projected !== null && limit !== null
        ? `Projected usage is now ${formatBytes(projected)} of ${formatBytes(limit)}.`
        : 'Usage is no longer projected to exceed the limit.';
    }
    case 'invalid_proxies': {
      const ratio = num('ratio_percent');
      return ratio !== null
        ? `${num('invalid') ?? 0} of ${num('total') ?? 0} proxies invalid (${formatPercent(ratio)}).`
        : 'Invalid proxies are back to normal.';
    }
    case 'failure_rate': {
      const rate = num('rate_percent');
      return rate !== null
        ? `Request failure rate is back to ${formatPercent(rate)} (${num('failed') ?? 0} of ${num('requests') ?? 0}).`
        : 'Request volume is below the minimum; the failure rate is no longer judged.';
    }
    case 'subuser_usage': {
      const percent = num('percent');
      return percent !== null
        ? `Now at ${formatPercent(percent)} of its limit.`
        : 'The sub-user is no longer over its limit.';
    }
    case 'webshare_unreachable':
      return 'Webshare answers again.';
    case 'webshare_auth':
      return 'Webshare accepts the API key again.';
    default:
      return 'The condition has cleared.';
  }
}
