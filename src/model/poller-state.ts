/**
 * What the poller carries from one tick to the next: the latest snapshot, the validity-sweep cursor
 * and its running totals, cached slow-changing sources and recent Webshare call counts (so ticks in
 * the same minute together stay under Webshare's rate limits).
 */
import type { AlertSummary } from './alert-summary';
import type { DialectChoice } from './dialect';
import { pack, packable } from './packed-list';
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
   * How many invalid proxies this sweep tracks for the streaks (at most MAX_TRACKED_INVALID), their
   * addresses and, at the same positions, their countries (NO_COUNTRY for none): packed lists
   * (packed-list.ts), one string each rather than thousands in KV's JSON. An address seen twice (the
   * list reordered under the sweep) is listed twice and counted once when the sweep finishes.
   */
  tracked: number;
  tracked_addresses: string;
  tracked_countries: string;
  ticks: number;
  /**
   * v2's filtered sweep (webshare/v2/sweep.ts): `count` and the pages are those of the invalid
   * proxies only; `list_total` is the whole list's size and `countries_todo` the countries whose
   * totals are still to be counted. Absent on v1's page-by-page sweep.
   */
  filtered?: { list_total: number | null; countries_todo: string[] | null };
}

/**
 * The proxies invalid in the last finished sweep and, at the same positions, for how many finished
 * sweeps in a row each was: packed lists (packed-list.ts), split only when the next sweep finishes.
 */
export interface InvalidStreaks {
  size: number;
  addresses: string;
  counts: string;
}

export function noStreaks(): InvalidStreaks {
  return { size: 0, addresses: '', counts: '' };
}

/** The country of a tracked address that has none (packed lists hold no empty token). */
export const NO_COUNTRY = '-';

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

/**
 * The address lists of older stored states: address → value objects (the first releases), then
 * parallel arrays (until the packed lists).
 */
interface LegacyAddressLists {
  invalid_streaks?: unknown;
  sweep?:
    | (Partial<SweepAccumulator> & {
        invalid_seen?: unknown;
        invalid_addresses?: unknown;
        invalid_countries?: unknown;
      })
    | null;
}

function isAddressMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('addresses' in value);
}

function isArrayPair(value: unknown): value is { addresses: unknown[]; counts: unknown[] } {
  return (
    typeof value === 'object' && value !== null && Array.isArray((value as { addresses?: unknown }).addresses)
  );
}

/** Streaks from address/count pairs, dropping what a packed list cannot hold. */
function streaksOf(pairs: [unknown, unknown][]): InvalidStreaks {
  const kept = pairs.filter(
    (pair): pair is [string, number] =>
      typeof pair[0] === 'string' && packable(pair[0]) && typeof pair[1] === 'number',
  );
  return { size: kept.length, addresses: pack(kept.map(([a]) => a)), counts: pack(kept.map(([, n]) => n)) };
}

/** The tracked addresses of a sweep from address/country pairs. */
function trackedOf(
  pairs: [unknown, unknown][],
): Pick<SweepAccumulator, 'tracked' | 'tracked_addresses' | 'tracked_countries'> {
  const kept = pairs.filter(
    (pair): pair is [string, unknown] => typeof pair[0] === 'string' && packable(pair[0]),
  );
  return {
    tracked: kept.length,
    tracked_addresses: pack(kept.map(([a]) => a)),
    tracked_countries: pack(kept.map(([, c]) => (typeof c === 'string' && packable(c) ? c : NO_COUNTRY))),
  };
}

/**
 * Reads a stored state into the current shape. States written with address → value objects or with
 * parallel arrays are converted, so an upgrade keeps the sweep cursor and the streaks.
 */
export function upgradePollerState(stored: PollerState): PollerState {
  const legacy = stored as unknown as LegacyAddressLists;
  let state = stored;
  const streaks = legacy.invalid_streaks;
  if (isAddressMap(streaks)) {
    state = { ...state, invalid_streaks: streaksOf(Object.entries(streaks)) };
  } else if (isArrayPair(streaks)) {
    state = { ...state, invalid_streaks: streaksOf(streaks.addresses.map((a, i) => [a, streaks.counts[i]])) };
  }
  const sweep = legacy.sweep;
  if (sweep && typeof sweep.tracked_addresses !== 'string') {
    const { invalid_seen, invalid_addresses, invalid_countries, ...rest } = sweep;
    const pairs: [unknown, unknown][] = isAddressMap(invalid_seen)
      ? Object.entries(invalid_seen)
      : Array.isArray(invalid_addresses)
        ? invalid_addresses.map((a, i) => [a, Array.isArray(invalid_countries) ? invalid_countries[i] : null])
        : [];
    state = { ...state, sweep: { ...(rest as SweepAccumulator), ...trackedOf(pairs) } };
  }
  return state;
}
