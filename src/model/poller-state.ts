/**
 * What the poller carries from one tick to the next: the latest snapshot, the validity-sweep cursor
 * and its running totals, cached slow-changing sources and recent Webshare call counts (so ticks in
 * the same minute together stay under Webshare's rate limits).
 */
import type { AlertSummary } from './alert-summary';
import type { DialectChoice } from './dialect';
import { emptyRemediationState, type RemediationState } from './remediation';
import type { RemediationLogEntry, Rollups } from './rollup';
import type { CountryValidity, Snapshot, SubscriptionSummary, SubUserUsage } from './snapshot';

export const POLLER_STATE_VERSION = 1;

/** A sub-user usage refresh spanning several ticks (see poller/subuser-refresh.ts). */
export interface SubUserRefresh {
  next_page: number;
  started_at: string;
  collected: SubUserUsage[];
}

export interface SubUserCache {
  fetched_at: string;
  subusers: SubUserUsage[];
}

/** Running totals of a sweep that spans several ticks. */
export interface SweepAccumulator {
  started_at: string;
  next_page: number;
  pages_done: number;
  /** `count` reported by the first page; a change mid-sweep restarts the sweep (pages would shift). */
  count: number | null;
  page_size: number | null;
  total: number;
  invalid: number;
  by_country: Record<string, CountryValidity>;
  /**
   * Invalid proxies seen so far in this sweep, each address once, and their countries at the same
   * index. Parallel arrays, not an address → country object: a large account carries thousands, and
   * KV's JSON of an object that size costs the tick several times more to read, copy and write.
   */
  invalid_addresses: string[];
  invalid_countries: (string | null)[];
  ticks: number;
  /**
   * v2's filtered sweep (webshare/v2/sweep.ts): `count` and the pages are those of the invalid
   * proxies only; `list_total` is the whole list's size and `countries_todo` the countries whose
   * totals are still to be counted. Absent on v1's page-by-page sweep.
   */
  filtered?: { list_total: number | null; countries_todo: string[] | null };
}

/** Proxy addresses and, at the same index, for how many finished sweeps in a row each was invalid. */
export interface InvalidStreaks {
  addresses: string[];
  counts: number[];
}

export function noStreaks(): InvalidStreaks {
  return { addresses: [], counts: [] };
}

/** Webshare calls made by a recent tick, for the per-minute rate limits across ticks. */
export interface RecentCalls {
  at_ms: number;
  general: number;
  proxy_list: number;
}

export interface PollerState {
  version: typeof POLLER_STATE_VERSION;
  last_scheduled_time: number;
  /** When the first tick ran: history reads never look further back than this. */
  first_tick_at: string | null;
  last_tick_at: string | null;
  /** Last tick whose core sources (stats and quotas) were fetched. */
  last_success_at: string | null;
  latest: Snapshot | null;
  sweep: SweepAccumulator | null;
  /** Consecutive-sweep counts of the proxies invalid in the last finished sweep. */
  invalid_streaks: InvalidStreaks;
  subscription_cache: SubscriptionSummary | null;
  subusers_cache: SubUserCache | null;
  /** A sub-user refresh spanning several ticks (absent in states written before it existed). */
  subusers_refresh?: SubUserRefresh | null;
  recent_calls: RecentCalls[];
  /** Consecutive ticks in which Webshare could not be reached or rejected the key. */
  consecutive_failed_ticks: number;
  /** The dialect in use (absent in states written before v2 existed: they spoke v1). */
  webshare_api?: DialectChoice | null;
  /** Auto-remediation's counters, remembered replacements and pending retries (absent in older stored states). */
  remediation?: RemediationState;
  /** Hourly and daily rollups for the billing-period views (absent in older stored states). */
  rollups?: Rollups;
  /** The alert engine's state when this tick started (see model/alert-summary.ts). */
  alert_summary?: AlertSummary | null;
  /** Recent remediation entries, newest first, bounded: the dashboard's table reads them. */
  remediation_log?: RemediationLogEntry[];
  /** The scheduled digest: which period was last sent, so a retried or later tick never sends it again. */
  digest?: DigestState;
}

export interface DigestState {
  /** Id of the last period sent, e.g. `2026-W49` or `2026-12-01`. */
  last_period: string | null;
  sent_at: string | null;
}

export function emptyPollerState(): PollerState {
  return {
    version: POLLER_STATE_VERSION,
    last_scheduled_time: 0,
    first_tick_at: null,
    last_tick_at: null,
    last_success_at: null,
    latest: null,
    sweep: null,
    invalid_streaks: noStreaks(),
    subscription_cache: null,
    subusers_cache: null,
    subusers_refresh: null,
    recent_calls: [],
    consecutive_failed_ticks: 0,
    remediation: emptyRemediationState(),
    webshare_api: null,
  };
}

/** What states written before the parallel arrays carried: address → country, address → count. */
interface LegacyAddressMaps {
  invalid_streaks?: unknown;
  sweep?:
    (Omit<SweepAccumulator, 'invalid_addresses' | 'invalid_countries'> & { invalid_seen?: unknown }) | null;
}

function isAddressMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('addresses' in value);
}

/**
 * Reads a stored state into the current shape. States written before the parallel arrays (address →
 * value objects) are converted, so an upgrade keeps the sweep cursor and the streaks.
 */
export function upgradePollerState(stored: PollerState): PollerState {
  const legacy = stored as unknown as LegacyAddressMaps;
  let state = stored;
  if (isAddressMap(legacy.invalid_streaks)) {
    const entries = Object.entries(legacy.invalid_streaks).filter(([, n]) => typeof n === 'number');
    const invalid_streaks = {
      addresses: entries.map(([a]) => a),
      counts: entries.map(([, n]) => n as number),
    };
    state = { ...state, invalid_streaks };
  }
  const sweep = legacy.sweep;
  if (sweep && isAddressMap(sweep.invalid_seen)) {
    const { invalid_seen, ...rest } = sweep;
    const entries = Object.entries(invalid_seen);
    state = {
      ...state,
      sweep: {
        ...rest,
        invalid_addresses: entries.map(([address]) => address),
        invalid_countries: entries.map(([, country]) => (typeof country === 'string' ? country : null)),
      },
    };
  }
  return state;
}
