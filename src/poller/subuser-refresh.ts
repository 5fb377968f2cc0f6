/**
 * Refreshes sub-user usage a few pages per tick. A reseller account can have thousands of sub-users;
 * reading them all in one tick would spend the whole subrequest budget (and fail every time, since
 * the cache would never fill). Like the validity sweep, the refresh keeps a cursor between ticks and
 * publishes the list once the last page is read.
 */
import { nextPageNumber } from '../webshare/paging';
import type { WebshareApi } from '../webshare/port';
import type { SubUserCache, SubUserRefresh } from '../model/poller-state';
import type { SourceError } from '../model/snapshot';
import type { SubUserPage } from '../webshare/types';
import { capture, summariseSubUsers, type Outcome } from './sources';

/** Sub-user usage moves slowly compared with a 5-minute cron; start a refresh every 15 minutes. */
export const SUBUSERS_CACHE_MS = 900_000;
/** At most this many sub-user pages per tick, so the validity sweep always gets its share. */
export const SUBUSER_PAGES_PER_TICK = 8;

export interface SubUserStep {
  cache: SubUserCache | null;
  refresh: SubUserRefresh | null;
  error: SourceError | null;
  pagesFetched: number;
}

function refreshDue(cache: SubUserCache | null, nowMs: number): boolean {
  return !cache || nowMs - Date.parse(cache.fetched_at) >= SUBUSERS_CACHE_MS;
}

/** The sub-user pages a tick may read now (0 when no refresh runs or is due), for its rate slots. */
export function subUserPagesWanted(
  cache: SubUserCache | null,
  refresh: SubUserRefresh | null,
  nowMs: number,
): number {
  return refresh || refreshDue(cache, nowMs) ? SUBUSER_PAGES_PER_TICK : 0;
}

/** Continues (or starts, when the cache is due) the paged refresh within `maxPages`. */
export async function refreshSubUsers(options: {
  client: Pick<WebshareApi, 'listSubUsers' | 'bytesPerGb'>;
  cache: SubUserCache | null;
  refresh: SubUserRefresh | null;
  maxPages: number;
  nowMs: number;
}): Promise<SubUserStep> {
  const { cache, nowMs } = options;
  const nowIso = new Date(nowMs).toISOString();
  const due = refreshDue(cache, nowMs);
  let refresh = options.refresh ?? (due ? { next_page: 1, started_at: nowIso, collected: [] } : null);
  if (!refresh) return { cache, refresh: null, error: null, pagesFetched: 0 };

  const pageLimit = Math.min(options.maxPages, SUBUSER_PAGES_PER_TICK);
  for (let pagesFetched = 0; pagesFetched < pageLimit;) {
    const page: number = refresh.next_page;
    const fetched: Outcome<SubUserPage> = await capture('subusers', () => options.client.listSubUsers(page));
    pagesFetched++;
    // A failed page keeps the cursor: the next tick retries it, and the old cache stays in use.
    if (!fetched.ok) return { cache, refresh, error: fetched.error, pagesFetched };
    refresh = {
      ...refresh,
      collected: [
        ...refresh.collected,
        ...summariseSubUsers(fetched.value.results, options.client.bytesPerGb),
      ],
    };
    const next = nextPageNumber(fetched.value.next, page);
    if (next === undefined) {
      return {
        cache: { fetched_at: nowIso, subusers: refresh.collected },
        refresh: null,
        error: null,
        pagesFetched,
      };
    }
    refresh = { ...refresh, next_page: next };
    if (pagesFetched >= pageLimit) return { cache, refresh, error: null, pagesFetched };
  }
  return { cache, refresh, error: null, pagesFetched: 0 };
}
