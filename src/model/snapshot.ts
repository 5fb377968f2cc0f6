/**
 * The snapshot: what one cron tick learned about the account. Alert rules, the admin API, chat-ops
 * and the dashboard all read this shape. It is versioned; a reader meeting an older version upgrades
 * it with `upgradeSnapshot` (there is only v1 so far), a newer one it does not know it rejects.
 */
import type { WebshareDialect } from './dialect';
import type { RemediationRecord } from './remediation';

export const SNAPSHOT_VERSION = 1;

export type SnapshotSource =
  | 'stats'
  | 'replacement_info'
  | 'subscription'
  | 'subusers'
  | 'proxy_list'
  /** The WEBSHARE_API_VERSION=auto probe (GET /api/v2/subscription/). */
  | 'webshare_api'
  /** Following asynchronous (v2) replacements. */
  | 'replacements';

/** One upstream call of the tick that failed: recorded, never thrown. */
export interface SourceError {
  source: SnapshotSource;
  /** Error class name, e.g. WebshareUnauthorizedError, WebshareTimeoutError. */
  kind: string;
  status: number | null;
  message: string;
}

export interface StatsSummary {
  bandwidth_used: number;
  /** 0 means unlimited. */
  bandwidth_limit: number;
  bandwidth_remaining: number | null;
  bandwidth_projected: number | null;
  requests_total: number;
  requests_successful: number;
  requests_failed: number;
  requests_countries: Record<string, number>;
  requests_error_reasons: Record<string, number>;
  last_request_at: string | null;
}

export interface QuotaSummary {
  ondemand_refreshes_total: number;
  ondemand_refreshes_used: number;
  ondemand_refreshes_available: number;
  proxy_replacements_total: number;
  proxy_replacements_used: number;
  proxy_replacements_available: number;
  automatic_refresh_next_at: string | null;
}

export interface SubscriptionSummary {
  proxy_type: string;
  proxy_count: number;
  bandwidth_limit: number;
  start_date: string;
  end_date: string;
  /** When this was fetched: the subscription is cached between ticks. */
  fetched_at: string;
}

export interface SubUserUsage {
  id: number;
  label: string;
  /** Bytes used. */
  proxy_usage: number;
  /** GB as Webshare states it; 0 means unlimited. */
  proxy_limit_gb: number;
  /**
   * The limit in bytes, in the GB of the API dialect that stated it (v1: 2^30, v2: 10^9); 0 means
   * unlimited. Absent in snapshots stored before it existed (read them as GB of 2^30).
   */
  proxy_limit_bytes?: number;
  /** proxy_usage as a percentage of the limit; null when unlimited. */
  usage_percent: number | null;
}

/** Webshare v1 states sub-user limits in GB of 2^30 bytes (v2 in GB of 10^9: WebshareApi.bytesPerGb). */
export const V1_BYTES_PER_GB = 1024 ** 3;

/** A sub-user's limit in bytes, for snapshots stored before `proxy_limit_bytes` existed too. */
export function subUserLimitBytes(usage: SubUserUsage): number {
  return usage.proxy_limit_bytes ?? usage.proxy_limit_gb * V1_BYTES_PER_GB;
}

/**
 * The usage summary of a sub-user as Webshare describes it (list page, create or get answer), its
 * limit counted in the dialect's GB (WebshareApi.bytesPerGb): no default, so no caller can read a v2
 * limit in v1's larger GB and under-report the usage.
 */
export function toSubUserUsage(
  subuser: { id: number; label: string; proxy_usage: number; proxy_limit: number },
  bytesPerGb: number,
): SubUserUsage {
  const limitBytes = subuser.proxy_limit * bytesPerGb;
  return {
    id: subuser.id,
    label: subuser.label,
    proxy_usage: subuser.proxy_usage,
    proxy_limit_gb: subuser.proxy_limit,
    proxy_limit_bytes: limitBytes,
    usage_percent: limitBytes > 0 ? (subuser.proxy_usage / limitBytes) * 100 : null,
  };
}

export interface CountryValidity {
  total: number;
  invalid: number;
}

/** An invalid proxy and for how many consecutive finished sweeps it has been invalid. */
export interface PersistentInvalid {
  proxy_address: string;
  country_code: string | null;
  consecutive_sweeps: number;
}

/** The result of the last finished sweep of the whole proxy list. */
export interface SweepResult {
  finished_at: string;
  started_at: string;
  total: number;
  invalid: number;
  /** invalid / total, 0–1; 0 for an empty list. */
  invalid_ratio: number;
  by_country: Record<string, CountryValidity>;
  /** Invalid proxies, most persistent first (capped, see storage limits). */
  invalid_proxies: PersistentInvalid[];
  ticks: number;
}

export interface SweepProgress {
  /** Next page to fetch; 1 when a new sweep is about to start. */
  next_page: number;
  pages_done: number;
  /** Total pages if known from `count` and the page size. */
  pages_total: number | null;
  started_at: string | null;
}

export interface Snapshot {
  version: typeof SNAPSHOT_VERSION;
  /** The cron's scheduledTime (ms): ticks are idempotent on it. */
  scheduled_time: number;
  taken_at: string;
  stats: StatsSummary | null;
  quotas: QuotaSummary | null;
  subscription: SubscriptionSummary | null;
  subusers: SubUserUsage[] | null;
  /** Last finished sweep (carried over between ticks until the next one finishes). */
  sweep: SweepResult | null;
  sweep_progress: SweepProgress;
  errors: SourceError[];
  /**
   * Consecutive ticks (this one included) in which Webshare was unreachable or rejected the API key;
   * 0 when this tick reached Webshare. The watchdog alert reads it.
   */
  consecutive_failed_ticks: number;
  /** Outbound requests this tick made, against its budget. */
  subrequests: { used: number; limit: number };
  /** The Webshare API this tick spoke (absent in snapshots from before v2 support: v1). */
  webshare_api?: WebshareDialect;
  /**
   * What auto-remediation did, skipped or was refused this tick; null when it is off or had nothing to
   * consider. Optional: snapshots stored before it existed lack it, and read as null.
   */
  remediation?: RemediationRecord | null;
}

export class SnapshotVersionError extends Error {
  override name = 'SnapshotVersionError';
}

/** Reads a stored snapshot of any known version into the current shape. */
export function upgradeSnapshot(value: unknown): Snapshot {
  const version = (value as { version?: unknown } | null)?.version;
  if (version === SNAPSHOT_VERSION) {
    const snapshot = value as Snapshot;
    return snapshot.remediation === undefined ? { ...snapshot, remediation: null } : snapshot;
  }
  throw new SnapshotVersionError(`unknown snapshot version ${String(version)}`);
}
