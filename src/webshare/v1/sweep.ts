/**
 * The v1 validity sweep: v1's proxy list cannot filter, so the sweep walks every page a few per tick
 * with a cursor kept in the poller state, until every page has been seen. Small accounts finish in
 * one tick.
 */
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
 * Fetches up to `maxRequests` pages from the cursor on. A failed page ends the step with the cursor
 * where it was, so the next tick retries that page; a vanished page (the list shrank) restarts.
 */
export async function pagedSweepStep(
  options: SweepRequest & { fetchPage: (page: number) => Promise<ProxyValidityPage> },
): Promise<SweepStep> {
  // A filtered (v2) accumulator cannot continue as a paged one: the dialect changed, start over.
  const carried = options.accumulator?.filtered ? null : options.accumulator;
  let acc = copyAccumulator(carried ?? startAccumulator(options.nowIso));
  let pagesFetched = 0;
  while (pagesFetched < options.maxRequests) {
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
      continue;
    }
    acc.count = page.count;
    acc.page_size ??= page.results.length || null;
    for (const proxy of page.results) {
      const country = proxy.country_code ?? 'ZZ';
      const cell = (acc.by_country[country] ??= { total: 0, invalid: 0 });
      cell.total++;
      acc.total++;
      if (!proxy.valid) countInvalid(acc, cell, proxy);
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
