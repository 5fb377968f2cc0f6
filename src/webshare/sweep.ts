/**
 * The proxy-validity sweep's bookkeeping, the same in both dialects. Invalid proxies are visible only
 * in the proxy list, so a sweep reads it over several ticks with an accumulator kept in the poller
 * state, until it has seen enough; then it publishes a SweepResult and starts over. How it reads the
 * list is the dialect's (v1/sweep.ts walks every page, v2/sweep.ts filters): WebshareApi.sweep.
 */
import type { ProxyValidity } from './types';
import type { CountryValidity, PersistentInvalid, SweepProgress, SweepResult } from '../model/snapshot';
import { NO_COUNTRY, type InvalidStreaks, type SweepAccumulator } from '../model/poller-state';
import { appendPacked, pack, packable, unpack } from '../model/packed-list';

/** Invalid proxies named in the latest snapshot (the count and ratio always cover all of them). */
export const SNAPSHOT_INVALID_PROXIES_KEPT = 200;
/** Addresses tracked for consecutive-sweep streaks; beyond this the streak map is truncated. */
export const MAX_TRACKED_INVALID = 5_000;

/** One step of a sweep: where it stands, and how many list requests it may send. */
export interface SweepRequest {
  /** The sweep so far (null: start one). */
  accumulator: SweepAccumulator | null;
  streaks: InvalidStreaks;
  maxRequests: number;
  nowIso: string;
}

export interface SweepStep {
  accumulator: SweepAccumulator | null;
  /** Set when this step finished a sweep. */
  finished: SweepResult | null;
  /** Streaks to carry forward (changed only when a sweep finishes). */
  streaks: InvalidStreaks;
  pagesFetched: number;
  error: unknown;
}

/**
 * Counts one invalid proxy in the sweep's totals and its country's, and tracks its address (for the
 * streaks) while fewer than MAX_TRACKED_INVALID are tracked. Duplicates are dropped when the sweep
 * finishes, not here: checking each address against those tracked would take a set of them built
 * every tick, thousands of strings, which is what the packed lists are there to avoid.
 */
export function countInvalid(acc: SweepAccumulator, cell: CountryValidity, proxy: ProxyValidity): void {
  cell.invalid++;
  acc.invalid++;
  const address = proxy.proxy_address;
  if (acc.tracked >= MAX_TRACKED_INVALID || !packable(address)) return;
  const country = proxy.country_code;
  acc.tracked++;
  acc.tracked_addresses = appendPacked(acc.tracked_addresses, address);
  acc.tracked_countries = appendPacked(
    acc.tracked_countries,
    country && packable(country) ? country : NO_COUNTRY,
  );
}

/** The accumulator with a by_country of its own (it is changed in place), the stored one left as it was. */
export function copyAccumulator<T extends SweepAccumulator>(acc: T): T {
  return {
    ...acc,
    by_country: Object.fromEntries(Object.entries(acc.by_country).map(([k, v]) => [k, { ...v }])),
    ticks: acc.ticks + 1,
  };
}

export function startAccumulator(nowIso: string): SweepAccumulator {
  return {
    started_at: nowIso,
    next_page: 1,
    pages_done: 0,
    count: null,
    page_size: null,
    total: 0,
    invalid: 0,
    by_country: {},
    tracked: 0,
    tracked_addresses: '',
    tracked_countries: '',
    ticks: 0,
  };
}

export function finishSweep(
  acc: SweepAccumulator,
  previous: InvalidStreaks,
  nowIso: string,
): { result: SweepResult; streaks: InvalidStreaks } {
  const before = new Map<string, number>();
  const previousCounts = unpack(previous.counts);
  unpack(previous.addresses).forEach((address, i) => before.set(address, Number(previousCounts[i] ?? 0)));
  const addresses = unpack(acc.tracked_addresses);
  const counts = addresses.map((address) => (before.get(address) ?? 0) + 1);
  // Longest streaks first, then by address, then by position: an address tracked twice (the list
  // reordered under the sweep) sorts next to itself, its first position first, and is kept once.
  // Indices are sorted, not objects, and addresses compare by code unit: localeCompare on 5,000
  // addresses cost a finishing tick several milliseconds.
  const sorted = addresses
    .map((_, i) => i)
    .sort((i, j) => counts[j]! - counts[i]! || compareCodeUnits(addresses[i]!, addresses[j]!) || i - j);
  const order = sorted.filter((i, k) => k === 0 || addresses[i] !== addresses[sorted[k - 1]!]);
  const countries = unpack(acc.tracked_countries);
  const invalidProxies: PersistentInvalid[] = order.slice(0, SNAPSHOT_INVALID_PROXIES_KEPT).map((i) => ({
    proxy_address: addresses[i]!,
    country_code: countries[i] === undefined || countries[i] === NO_COUNTRY ? null : countries[i],
    consecutive_sweeps: counts[i]!,
  }));
  const streaks: InvalidStreaks = {
    size: order.length,
    addresses: pack(order.map((i) => addresses[i]!)),
    counts: pack(order.map((i) => counts[i]!)),
  };
  return {
    streaks,
    result: {
      started_at: acc.started_at,
      finished_at: nowIso,
      total: acc.total,
      invalid: acc.invalid,
      invalid_ratio: acc.total === 0 ? 0 : acc.invalid / acc.total,
      by_country: acc.by_country,
      invalid_proxies: invalidProxies,
      ticks: acc.ticks,
    },
  };
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where the sweep stands, for the snapshot and /v1/status. */
export function sweepProgress(acc: SweepAccumulator | null): SweepProgress {
  if (!acc) return { next_page: 1, pages_done: 0, pages_total: null, started_at: null };
  const pagesTotal =
    acc.count !== null && acc.page_size ? Math.max(1, Math.ceil(acc.count / acc.page_size)) : null;
  return {
    next_page: acc.next_page,
    pages_done: acc.pages_done,
    pages_total: pagesTotal,
    started_at: acc.started_at,
  };
}
