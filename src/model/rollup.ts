/**
 * Hourly and daily rollups of the snapshots: what the billing-period chart, the digest, `/metrics`
 * neighbours and `GET /v1/snapshots?resolution=` read instead of walking the hour buckets. They ride
 * in the poller state (so they cost no extra KV write): this UTC day's hours, and the finished days.
 */

export interface RollupPoint {
  /** Start of the interval (UTC, ISO): an hour, or a day at 00:00. */
  start: string;
  /** The last tick counted in the interval. */
  taken_at: string;
  ticks: number;
  /** Period-to-date figures as of the interval's last tick (Webshare's own cumulative counts). */
  bandwidth_used: number | null;
  /** 0 means unlimited. */
  bandwidth_limit: number | null;
  bandwidth_projected: number | null;
  requests_total: number | null;
  requests_failed: number | null;
  /** The last finished sweep as of the interval's end. */
  proxies_total: number | null;
  invalid: number | null;
  /** The most invalid proxies any finished sweep counted in the interval. */
  invalid_max: number | null;
  /** Alert keys that were firing at some tick of the interval. */
  alerts: string[];
  /** Remediation outcomes in the interval. */
  replaced: number;
  refreshed: number;
  remediation_skipped: number;
}

export interface Rollups {
  /** The UTC day (YYYY-MM-DD) `hours` belong to; '' before the first tick. */
  day: string;
  /** This day's hours, oldest first. */
  hours: RollupPoint[];
  /** Finished days, oldest first (bounded: see DAY_ROLLUPS_KEPT). */
  days: RollupPoint[];
}

export function emptyRollups(): Rollups {
  return { day: '', hours: [], days: [] };
}

/** One remediation entry as the dashboard lists it: what was done, when. */
export interface RemediationLogEntry {
  at: string;
  action: string;
  target: string;
  outcome: string;
  detail: string;
  mode: 'live' | 'dry_run';
}
