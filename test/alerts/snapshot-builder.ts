/**
 * Builds Snapshot objects for alert tests: realistic defaults (a 50 GB plan, healthy traffic, a clean
 * sweep) that each test overrides in the few fields it cares about.
 */
import type { Snapshot, StatsSummary, SweepResult } from '../../src/model/snapshot';

export const GB = 1024 ** 3;
export const T0 = Date.UTC(2026, 10, 20, 12, 0, 0); // Nov 20 12:00 UTC
export const TICK_MS = 5 * 60_000;

export interface SnapshotOptions {
  tick?: number;
  percent?: number;
  limitGb?: number;
  stats?: Partial<StatsSummary> | null;
  sweep?: Partial<SweepResult> | null;
  quotas?: Partial<NonNullable<Snapshot['quotas']>> | null;
  subscription?: Partial<NonNullable<Snapshot['subscription']>> | null;
  subusers?: Snapshot['subusers'];
  errors?: Snapshot['errors'];
  failedTicks?: number;
}

/** The snapshot of tick number `tick` (5 minutes apart, from T0). */
export function snapshot(options: SnapshotOptions = {}): Snapshot {
  const tick = options.tick ?? 0;
  const time = T0 + tick * TICK_MS;
  const limit = (options.limitGb ?? 50) * GB;
  const used = Math.round(((options.percent ?? 10) / 100) * limit);
  const stats: StatsSummary | null =
    options.stats === null
      ? null
      : {
          bandwidth_used: used,
          bandwidth_limit: limit,
          bandwidth_remaining: limit > 0 ? Math.max(0, limit - used) : null,
          bandwidth_projected: null,
          requests_total: 10_000 + tick * 1000,
          requests_successful: 9_900 + tick * 990,
          requests_failed: 100 + tick * 10,
          requests_countries: { US: 6000, DE: 4000 },
          requests_error_reasons: { client_connect_forbidden_host: 100 + tick * 10 },
          last_request_at: new Date(time).toISOString(),
          ...options.stats,
        };
  const sweep: SweepResult | null =
    options.sweep === null
      ? null
      : {
          finished_at: new Date(T0).toISOString(),
          started_at: new Date(T0 - 3_600_000).toISOString(),
          total: 100,
          invalid: 2,
          invalid_ratio: 0.02,
          by_country: { US: { total: 60, invalid: 1 }, DE: { total: 40, invalid: 1 } },
          invalid_proxies: [],
          ticks: 3,
          ...options.sweep,
        };
  return {
    version: 1,
    scheduled_time: time,
    taken_at: new Date(time).toISOString(),
    stats,
    quotas:
      options.quotas === null
        ? null
        : {
            ondemand_refreshes_total: 10,
            ondemand_refreshes_used: 2,
            ondemand_refreshes_available: 8,
            proxy_replacements_total: 100,
            proxy_replacements_used: 10,
            proxy_replacements_available: 90,
            automatic_refresh_next_at: null,
            ...options.quotas,
          },
    subscription:
      options.subscription === null
        ? null
        : {
            proxy_type: 'shared',
            proxy_count: 100,
            bandwidth_limit: limit,
            start_date: new Date(Date.UTC(2026, 10, 1)).toISOString(),
            end_date: new Date(Date.UTC(2026, 11, 1)).toISOString(),
            fetched_at: new Date(time).toISOString(),
            ...options.subscription,
          },
    subusers: options.subusers === undefined ? [] : options.subusers,
    sweep,
    sweep_progress: { next_page: 1, pages_done: 0, pages_total: null, started_at: null },
    errors: options.errors ?? [],
    consecutive_failed_ticks: options.failedTicks ?? 0,
    subrequests: { used: 3, limit: 50 },
  };
}
