/**
 * The proxy-validity sweep. Invalid proxies are visible only in the paginated proxy list, so the
 * sweep walks it a few pages per tick with a cursor kept in the poller state, until every page has
 * been seen; then it publishes a SweepResult and starts over. Small accounts finish in one tick.
 */
import { nextPageNumber } from '../webshare/api';
import { WebshareNotFoundError } from '../webshare/errors';
import type { ProxyValidityPage } from '../webshare/types';
import type { CountryValidity, PersistentInvalid, SweepProgress, SweepResult } from '../model/snapshot';
import type { InvalidStreaks, SweepAccumulator } from '../model/poller-state';

/** Invalid proxies named in the latest snapshot (the count and ratio always cover all of them). */
export const SNAPSHOT_INVALID_PROXIES_KEPT = 200;
/** Addresses tracked for consecutive-sweep streaks; beyond this the streak map is truncated. */
export const MAX_TRACKED_INVALID = 5_000;

export type PageFetcher = (page: number) => Promise<ProxyValidityPage>;

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
 * Counts one invalid proxy in the sweep's totals and its country's, and remembers its address while
 * fewer than MAX_TRACKED_INVALID are tracked (for the streaks). `seen` holds the addresses the
 * accumulator tracks, so each is tracked once.
 */
export function countInvalid(
  acc: SweepAccumulator,
  cell: CountryValidity,
  proxy: ProxyValidityPage['results'][number],
  seen: Set<string>,
): void {
  cell.invalid++;
  acc.invalid++;
  if (seen.size >= MAX_TRACKED_INVALID || seen.has(proxy.proxy_address)) return;
  seen.add(proxy.proxy_address);
  acc.invalid_addresses.push(proxy.proxy_address);
  acc.invalid_countries.push(proxy.country_code ?? null);
}

/** The accumulator with arrays of its own (it is changed in place), the stored one left as it was. */
export function copyAccumulator<T extends SweepAccumulator>(acc: T): T {
  return {
    ...acc,
    by_country: Object.fromEntries(Object.entries(acc.by_country).map(([k, v]) => [k, { ...v }])),
    invalid_addresses: [...acc.invalid_addresses],
    invalid_countries: [...acc.invalid_countries],
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
    invalid_addresses: [],
    invalid_countries: [],
    ticks: 0,
  };
}

/**
 * Fetches up to `maxPages` pages from the cursor on. A failed page ends the step with the cursor
 * where it was, so the next tick retries that page; a vanished page (the list shrank) restarts.
 */
export async function sweepStep(options: {
  accumulator: SweepAccumulator | null;
  streaks: InvalidStreaks;
  maxPages: number;
  fetchPage: PageFetcher;
  nowIso: string;
}): Promise<SweepStep> {
  let acc = copyAccumulator(options.accumulator ?? startAccumulator(options.nowIso));
  let pagesFetched = 0;
  let seen = new Set(acc.invalid_addresses);
  while (pagesFetched < options.maxPages) {
    let page: ProxyValidityPage;
    try {
      page = await options.fetchPage(acc.next_page);
      pagesFetched++;
    } catch (error) {
      if (error instanceof WebshareNotFoundError) {
        return { accumulator: null, finished: null, streaks: options.streaks, pagesFetched, error };
      }
      return { accumulator: acc, finished: null, streaks: options.streaks, pagesFetched, error };
    }
    if (acc.count !== null && page.count !== acc.count) {
      // The list changed size under us (a refresh or a plan change): the pages have shifted.
      acc = { ...startAccumulator(options.nowIso), ticks: 1 };
      seen = new Set();
      continue;
    }
    acc.count = page.count;
    acc.page_size ??= page.results.length || null;
    for (const proxy of page.results) {
      const country = proxy.country_code ?? 'ZZ';
      const cell = (acc.by_country[country] ??= { total: 0, invalid: 0 });
      cell.total++;
      acc.total++;
      if (!proxy.valid) countInvalid(acc, cell, proxy, seen);
    }
    acc.pages_done++;
    const next = nextPageNumber(page.next, acc.next_page);
    if (next === undefined) {
      const { result, streaks } = finishSweep(acc, options.streaks, options.nowIso);
      return { accumulator: null, finished: result, streaks, pagesFetched, error: undefined };
    }
    acc.next_page = next;
  }
  return { accumulator: acc, finished: null, streaks: options.streaks, pagesFetched, error: undefined };
}

export function finishSweep(
  acc: SweepAccumulator,
  previous: InvalidStreaks,
  nowIso: string,
): { result: SweepResult; streaks: InvalidStreaks } {
  const before = new Map<string, number>();
  previous.addresses.forEach((address, i) => before.set(address, previous.counts[i] ?? 0));
  const addresses = acc.invalid_addresses;
  const counts = addresses.map((address) => (before.get(address) ?? 0) + 1);
  // Longest streaks first, then by address. Indices are sorted, not objects, and addresses compare
  // by code unit: localeCompare on 5,000 addresses cost a finishing tick several milliseconds.
  const order = addresses
    .map((_, i) => i)
    .sort((i, j) => counts[j]! - counts[i]! || compareCodeUnits(addresses[i]!, addresses[j]!));
  const invalidProxies: PersistentInvalid[] = order.slice(0, SNAPSHOT_INVALID_PROXIES_KEPT).map((i) => ({
    proxy_address: addresses[i]!,
    country_code: acc.invalid_countries[i] ?? null,
    consecutive_sweeps: counts[i]!,
  }));
  return {
    streaks: { addresses, counts },
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
