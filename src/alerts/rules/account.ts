/** Account rules: exhausted quotas, the subscription ending, sub-users over their limit, the watchdog. */
import { subUserLimitBytes } from '../../model/snapshot';
import type { Snapshot } from '../../model/snapshot';
import { formatBytes, formatDuration, formatPercent, formatTime } from '../../lib/format';
import type { Evaluation } from '../types';
import {
  type RuleInput,
  type Base,
  DAY_MS,
  unknown,
  ok,
  stepWithHysteresis,
  snapshotTimeMs,
  round,
} from './shared';

// ---------------------------------------------------------------- quotas

export function refreshesRule({ current, config }: RuleInput): Evaluation {
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

export function replacementsRule({ current, config }: RuleInput): Evaluation {
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

export function subscriptionEndingRule({ current, config }: RuleInput): Evaluation {
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

export function subuserRules({ current, config, prior }: RuleInput): Evaluation[] {
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
    const limitBytes = subUserLimitBytes(user);
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
export function watchdogRules({ current, config }: RuleInput): Evaluation[] {
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
