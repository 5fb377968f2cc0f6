/** Proxy health rules: invalid proxies (ratio and spikes) and request failure-rate spikes. */
import type { SweepResult } from '../../model/snapshot';
import { formatPercent } from '../../lib/format';
import type { Evaluation } from '../types';
import { type RuleInput, type Base, unknown, ok, round } from './shared';

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

export function invalidProxiesRule({ current, previous, config, prior }: RuleInput): Evaluation {
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

export function failureRateRule({ current, previous, config, prior }: RuleInput): Evaluation {
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
