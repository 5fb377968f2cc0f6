/**
 * What `GET /metrics` exposes, from the poller state alone (its latest snapshot and the alert summary
 * it carries): no Webshare call, one or two KV reads. Names follow Prometheus conventions: base units
 * (`_bytes`, `_seconds`, `_ratio`), `_total` only on counters.
 *
 * Counter or gauge: Webshare reports requests as totals for the billing period. Within a period they
 * only grow and at renewal they drop to zero, which is exactly a counter with a reset, so `rate()`
 * and `increase()` work across renewals. Bandwidth used is period-to-date too, but it is read against
 * the limit and the projection (ratios, "how full"), so it is a gauge like them.
 */
import { subUserLimitBytes } from '../model/snapshot';
import type { MetricFamily, Sample } from '../lib/prometheus';
import type { PollerState } from '../model/poller-state';
import type { Snapshot } from '../model/snapshot';

/** Webshare states limits in GB of 2^30 bytes (see lib/format.ts). */

function one(value: number | null | undefined, labels?: Record<string, string>): Sample[] {
  return value === null || value === undefined ? [] : [{ value, ...(labels ? { labels } : {}) }];
}

function gauge(name: string, help: string, samples: Sample[]): MetricFamily {
  return { name, help, type: 'gauge', samples };
}

function accountFamilies(snapshot: Snapshot): MetricFamily[] {
  const { stats, sweep, quotas } = snapshot;
  const countries = Object.entries(sweep?.by_country ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return [
    gauge(
      'webshare_bandwidth_used_bytes',
      'Bandwidth used in the current billing period.',
      one(stats?.bandwidth_used),
    ),
    gauge(
      'webshare_bandwidth_limit_bytes',
      "The plan's bandwidth for the billing period; 0 means unlimited.",
      one(stats?.bandwidth_limit),
    ),
    gauge(
      'webshare_bandwidth_projected_bytes',
      "Webshare's projection of the bandwidth used by the end of the billing period.",
      one(stats?.bandwidth_projected),
    ),
    {
      name: 'webshare_requests_total',
      help: 'Proxy requests in the current billing period (resets at renewal).',
      type: 'counter',
      samples: one(stats?.requests_total),
    },
    {
      name: 'webshare_requests_failed_total',
      help: 'Failed proxy requests in the current billing period (resets at renewal).',
      type: 'counter',
      samples: one(stats?.requests_failed),
    },
    gauge(
      'webshare_requests_failure_ratio',
      'Failed share of the billing period requests, 0-1.',
      one(stats && stats.requests_total > 0 ? stats.requests_failed / stats.requests_total : null),
    ),
    gauge(
      'webshare_proxies',
      'Proxies in the list by country, as of the last finished validity sweep.',
      countries.map(([country, cell]) => ({ labels: { country }, value: cell.total })),
    ),
    gauge(
      'webshare_proxies_invalid',
      'Invalid proxies by country, as of the last finished validity sweep.',
      countries.map(([country, cell]) => ({ labels: { country }, value: cell.invalid })),
    ),
    gauge(
      'webshare_proxies_invalid_ratio',
      'Invalid share of the proxy list, 0-1.',
      one(sweep?.invalid_ratio),
    ),
    gauge('webshare_quota_available', 'Replacement quotas left, by kind.', [
      ...one(quotas?.ondemand_refreshes_available, { quota: 'ondemand_refreshes' }),
      ...one(quotas?.proxy_replacements_available, { quota: 'proxy_replacements' }),
    ]),
    gauge('webshare_quota_limit', 'Replacement quotas of the plan, by kind.', [
      ...one(quotas?.ondemand_refreshes_total, { quota: 'ondemand_refreshes' }),
      ...one(quotas?.proxy_replacements_total, { quota: 'proxy_replacements' }),
    ]),
    ...subUserFamilies(snapshot),
  ];
}

function subUserFamilies(snapshot: Snapshot): MetricFamily[] {
  // The id keeps two sub-users with the same label apart (one series each).
  const labels = (s: { id: number; label: string }) => ({ subuser: s.label, subuser_id: String(s.id) });
  const subusers = snapshot.subusers ?? [];
  return [
    gauge(
      'webshare_subuser_usage_bytes',
      'Bandwidth used by each sub-user.',
      subusers.map((s) => ({ labels: labels(s), value: s.proxy_usage })),
    ),
    gauge(
      'webshare_subuser_limit_bytes',
      "Each sub-user's bandwidth limit; 0 means unlimited.",
      subusers.map((s) => ({ labels: labels(s), value: subUserLimitBytes(s) })),
    ),
  ];
}

function workerFamilies(state: PollerState, nowMs: number): MetricFamily[] {
  const summary = state.alert_summary ?? null;
  const age = (iso: string | null) =>
    iso === null ? null : Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  return [
    gauge(
      'webshare_ops_snapshot_available',
      '1 when a tick ran in the last two hours (the figures above are from it), else 0.',
      [{ value: state.latest ? 1 : 0 }],
    ),
    gauge('webshare_ops_last_tick_age_seconds', 'Seconds since the last tick.', one(age(state.last_tick_at))),
    gauge(
      'webshare_ops_last_success_age_seconds',
      'Seconds since the last tick that fetched the core figures from Webshare.',
      one(age(state.last_success_at)),
    ),
    gauge(
      'webshare_ops_webshare_consecutive_failed_ticks',
      'Consecutive ticks in which Webshare was unreachable or refused the API key.',
      [{ value: state.consecutive_failed_ticks }],
    ),
    gauge(
      'webshare_ops_alert_firing',
      'Alert state per alert key: 1 firing, 0 pending (as of the start of the last tick).',
      (summary?.alerts ?? []).map((a) => ({
        labels: { rule: a.rule, key: a.key, severity: a.severity },
        value: a.status === 'firing' ? 1 : 0,
      })),
    ),
    gauge(
      'webshare_ops_notifications_queued',
      'Notifications waiting in an outbox for a later attempt.',
      one(summary?.queued),
    ),
    gauge(
      'webshare_ops_notifications_undeliverable',
      'Recent deliveries refused for good (e.g. 404/410), as kept in the delivery logs.',
      one(summary?.undeliverable),
    ),
  ];
}

export function metricFamilies(state: PollerState, nowMs: number): MetricFamily[] {
  return [...(state.latest ? accountFamilies(state.latest) : []), ...workerFamilies(state, nowMs)];
}
