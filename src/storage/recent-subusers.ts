/**
 * Sub-users created or deleted since the poller last listed them all. The poller refreshes its
 * sub-user list every 15 minutes, a few pages per tick, and stores it in the hour bucket with its
 * state (poller-store.ts). A sub-user made by a signup hook, the admin API or chat-ops must show in
 * chat and on the dashboard at once, without a Webshare call per read — but writing it into the
 * bucket would race the tick, whose one write per tick would overwrite (or be overwritten by) it.
 *
 * So creates and deletes go to this one small document instead, and readers merge it with the cached
 * list (`mergeSubUsers`): a created sub-user shows until the cached list has it, a deleted one is
 * hidden while its record lives. Entries expire after RECENT_SUBUSERS_TTL_SECONDS, by then several
 * full refreshes have run.
 *
 * Best effort by design: KV has no compare-and-set, so two creates within the same moment may each
 * write the document and one entry can be lost; that sub-user then shows with the next full refresh
 * (at most ~15 minutes), as before. A reader elsewhere may see a write up to 60 s late (KV).
 */
import type { SubUserUsage } from '../model/snapshot';
import { KV_MIN_TTL_SECONDS, KV_PREFIX, RECENT_SUBUSERS_TTL_SECONDS } from './keys';

/** Bounds the document: a burst of signups beyond this keeps the newest (the refresh catches up). */
export const RECENT_SUBUSERS_MAX_ENTRIES = 200;
const MS_PER_SECOND = 1000;

export interface RecentSubUserChanges {
  created: { subuser: SubUserUsage; at: string }[];
  deleted: { id: number; at: string }[];
}

const EMPTY: RecentSubUserChanges = { created: [], deleted: [] };

export class RecentSubUsers {
  constructor(private readonly kv: KVNamespace) {}

  /** The changes still within their lifetime: one KV read. */
  async read(nowMs: number): Promise<RecentSubUserChanges> {
    const stored = await this.kv.get<RecentSubUserChanges>(KV_PREFIX.recentSubusers, 'json');
    return prune(stored ?? EMPTY, nowMs);
  }

  async recordCreated(subuser: SubUserUsage, nowMs: number): Promise<void> {
    const at = new Date(nowMs).toISOString();
    await this.#update(nowMs, (changes) => ({
      created: [...changes.created.filter((c) => c.subuser.id !== subuser.id), { subuser, at }],
      deleted: changes.deleted.filter((d) => d.id !== subuser.id),
    }));
  }

  async recordDeleted(id: number, nowMs: number): Promise<void> {
    const at = new Date(nowMs).toISOString();
    await this.#update(nowMs, (changes) => ({
      created: changes.created.filter((c) => c.subuser.id !== id),
      deleted: [...changes.deleted.filter((d) => d.id !== id), { id, at }],
    }));
  }

  async #update(
    nowMs: number,
    change: (changes: RecentSubUserChanges) => RecentSubUserChanges,
  ): Promise<void> {
    const next = change(await this.read(nowMs));
    const bounded: RecentSubUserChanges = {
      created: next.created.slice(-RECENT_SUBUSERS_MAX_ENTRIES),
      deleted: next.deleted.slice(-RECENT_SUBUSERS_MAX_ENTRIES),
    };
    await this.kv.put(KV_PREFIX.recentSubusers, JSON.stringify(bounded), {
      expirationTtl: Math.max(KV_MIN_TTL_SECONDS, RECENT_SUBUSERS_TTL_SECONDS),
    });
  }
}

function prune(changes: RecentSubUserChanges, nowMs: number): RecentSubUserChanges {
  const oldest = nowMs - RECENT_SUBUSERS_TTL_SECONDS * MS_PER_SECOND;
  const live = (entry: { at: string }) => Date.parse(entry.at) >= oldest;
  return {
    created: (changes.created ?? []).filter(live),
    deleted: (changes.deleted ?? []).filter(live),
  };
}

/**
 * The cached list with recent changes applied: deleted ids left out, created sub-users the cache does
 * not have yet added at the end (once the cache has one, its figures win). Null when there is no cached
 * list and nothing was created.
 */
export function mergeSubUsers(
  cached: readonly SubUserUsage[] | null,
  changes: RecentSubUserChanges,
): SubUserUsage[] | null {
  const deleted = new Set(changes.deleted.map((d) => d.id));
  const known = new Set((cached ?? []).map((s) => s.id));
  const added = changes.created.map((c) => c.subuser).filter((s) => !known.has(s.id) && !deleted.has(s.id));
  if (cached === null && added.length === 0) return null;
  return [...(cached ?? []).filter((s) => !deleted.has(s.id)), ...added];
}
