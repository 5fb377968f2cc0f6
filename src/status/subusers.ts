/**
 * The sub-user list every reader shows (chat-ops, the dashboard, /v1/status): the poller's cached
 * list with the sub-users created or deleted since merged in (storage/recent-subusers.ts). KV only:
 * no reader ever lists sub-users at Webshare.
 */
import type { PollerState } from '../model/poller-state';
import type { SubUserUsage } from '../model/snapshot';
import { RecentSubUsers, mergeSubUsers } from '../storage/recent-subusers';

export interface SubUserListing {
  /** Null before the first full refresh, unless sub-users were created since. */
  subusers: SubUserUsage[] | null;
  /** When the poller last finished listing every sub-user; null before the first refresh. */
  fetchedAt: string | null;
  /** Sub-users in `subusers` that are newer than that list. */
  addedSince: number;
}

/** One KV read on top of the poller state the caller already holds. */
export async function readSubUserListing(
  kv: KVNamespace,
  state: PollerState | Promise<PollerState>,
  nowMs: number,
): Promise<SubUserListing> {
  // The recent changes are read while the state may still be on its way (one KV round trip for both).
  const [changes, resolved] = await Promise.all([new RecentSubUsers(kv).read(nowMs), state]);
  return listingOf(resolved, changes);
}

function listingOf(state: PollerState, changes: Awaited<ReturnType<RecentSubUsers['read']>>): SubUserListing {
  const cached = state.subusers_cache?.subusers ?? state.latest?.subusers ?? null;
  const subusers = mergeSubUsers(cached, changes);
  const known = new Set((cached ?? []).map((s) => s.id));
  return {
    subusers,
    fetchedAt: state.subusers_cache?.fetched_at ?? null,
    addedSince: (subusers ?? []).filter((s) => !known.has(s.id)).length,
  };
}
