/**
 * The validity sweep on v2, where the proxy list filters server-side. Instead of reading every page,
 * it asks for (1) the list's size (`page_size=1`: one proxy, and `count`), (2) every invalid proxy
 * (`valid=false`, large pages), and (3) the size of each country that has invalid proxies
 * (`country_code__in=XX&page_size=1`). A 100,000-proxy account with 2 % invalid is then
 * 1 + 20 + a few requests: one tick's subrequests (two ticks' CPU on the Free plan, see
 * src/poller/cpu-budget.ts).
 * It keeps a cursor like the v1 sweep when a tick has less room.
 *
 * Countries with no invalid proxy are not counted (they cannot be among the worst), so `by_country`
 * holds only countries with invalid proxies; `total` and `invalid` always cover the whole list.
 */
import type { SweepAccumulator } from '../../model/poller-state';
import type { ProxyListQuery } from '../port';
import { nextPageNumber } from '../paging';
import { WebshareNotFoundError } from '../errors';
import type { ProxyValidityPage } from '../types';
import {
  copyAccumulator,
  countInvalid,
  finishSweep,
  startAccumulator,
  type SweepRequest,
  type SweepStep,
} from '../sweep';

/**
 * Proxies per page asked for. No maximum is documented (the default is 25; the SDK examples use 100);
 * a server answering with smaller pages is followed by its `next` links all the same.
 */
export const FILTERED_SWEEP_PAGE_SIZE = 100;
/** Countries whose totals are counted (those with the most invalid proxies first). */
export const FILTERED_SWEEP_COUNTRIES_MAX = 10;

export type FilteredFetcher = (query: ProxyListQuery) => Promise<ProxyValidityPage>;

type Acc = SweepAccumulator & { filtered: NonNullable<SweepAccumulator['filtered']> };

function start(nowIso: string): Acc {
  return { ...startAccumulator(nowIso), filtered: { list_total: null, countries_todo: null } };
}

function copy(acc: SweepAccumulator | null, nowIso: string): Acc {
  const from = acc?.filtered ? (acc as Acc) : start(nowIso);
  return {
    ...copyAccumulator(from),
    filtered: {
      list_total: from.filtered.list_total,
      countries_todo: from.filtered.countries_todo ? [...from.filtered.countries_todo] : null,
    },
  };
}

/**
 * Reads one invalid page into the accumulator; false when the
 * invalid count moved (restart).
 */
function takeInvalidPage(acc: Acc, page: ProxyValidityPage): boolean {
  if (acc.count !== null && page.count !== acc.count) return false;
  acc.count = page.count;
  acc.page_size ??= page.results.length || null;
  for (const proxy of page.results) {
    if (proxy.valid) continue;
    const country = proxy.country_code ?? 'ZZ';
    const cell = (acc.by_country[country] ??= { total: 0, invalid: 0 });
    countInvalid(acc, cell, proxy);
  }
  acc.pages_done++;
  return true;
}

export async function filteredSweepStep(
  options: SweepRequest & { fetch: FilteredFetcher },
): Promise<SweepStep> {
  let acc = copy(options.accumulator, options.nowIso);
  let sent = 0;
  const stop = (error: unknown): SweepStep => ({
    // A vanished page (the list shrank) restarts; any other failure keeps the cursor for next tick.
    accumulator: error instanceof WebshareNotFoundError ? null : acc,
    finished: null,
    streaks: options.streaks,
    pagesFetched: sent,
    error,
  });
  const ask = async (query: ProxyListQuery) => {
    sent++;
    return options.fetch(query);
  };

  try {
    if (acc.filtered.list_total === null && sent < options.maxRequests) {
      acc.filtered.list_total = (await ask({ page: 1, pageSize: 1 })).count;
      acc.total = acc.filtered.list_total;
    }
    while (acc.filtered.countries_todo === null && sent < options.maxRequests) {
      const page = await ask({ page: acc.next_page, pageSize: FILTERED_SWEEP_PAGE_SIZE, valid: false });
      if (!takeInvalidPage(acc, page)) {
        // The invalid set changed under us (proxies recovered or failed): start over.
        const listTotal = acc.filtered.list_total;
        acc = { ...start(options.nowIso), ticks: acc.ticks, total: listTotal ?? 0 };
        acc.filtered.list_total = listTotal;
        continue;
      }
      const next = nextPageNumber(page.next, acc.next_page);
      if (next !== undefined) acc.next_page = next;
      else {
        acc.filtered.countries_todo = Object.entries(acc.by_country)
          .sort((a, b) => b[1].invalid - a[1].invalid || a[0].localeCompare(b[0]))
          .slice(0, FILTERED_SWEEP_COUNTRIES_MAX)
          .map(([country]) => country);
        // Countries beyond the cap keep total = their invalid count (a floor, never a wrong ratio above 1).
        for (const cell of Object.values(acc.by_country)) cell.total = cell.invalid;
      }
    }
    const todo = acc.filtered.countries_todo;
    while (todo && todo.length > 0 && sent < options.maxRequests) {
      const country = todo[0] as string;
      const cell = acc.by_country[country];
      if (cell && country !== 'ZZ')
        cell.total = (await ask({ page: 1, pageSize: 1, countries: [country] })).count;
      todo.shift();
    }
  } catch (error) {
    return stop(error);
  }

  if (acc.filtered.countries_todo?.length === 0) {
    const { result, streaks } = finishSweep(acc, options.streaks, options.nowIso);
    return { accumulator: null, finished: result, streaks, pagesFetched: sent, error: undefined };
  }
  return { accumulator: acc, finished: null, streaks: options.streaks, pagesFetched: sent, error: undefined };
}
