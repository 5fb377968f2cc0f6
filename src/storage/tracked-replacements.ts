/**
 * `replacement:v2:<id>`: v2 replacements started outside a tick (admin API, chat-ops), for the tick to
 * follow. One key per replacement with its record in the key's metadata, so a tick finds them all
 * with one list and no reads, and two requests never overwrite each other's record.
 */
import type { InFlightReplacement } from '../model/remediation';
import { KV_PREFIX, TRACKED_REPLACEMENT_TTL_SECONDS } from './keys';

/** Followed per tick at most, oldest first; the rest wait for later ticks. */
export const TRACKED_LISTED_MAX = 50;

export async function putTrackedReplacement(kv: KVNamespace, record: InFlightReplacement): Promise<void> {
  await kv.put(`${KV_PREFIX.trackedReplacement}${record.id}`, '', {
    metadata: record,
    expirationTtl: TRACKED_REPLACEMENT_TTL_SECONDS,
  });
}

export async function listTrackedReplacements(kv: KVNamespace): Promise<InFlightReplacement[]> {
  const listed = await kv.list<InFlightReplacement>({
    prefix: KV_PREFIX.trackedReplacement,
    limit: TRACKED_LISTED_MAX,
  });
  return listed.keys
    .map((key) => key.metadata)
    .filter((m): m is InFlightReplacement => typeof m?.id === 'number' && typeof m.address === 'string');
}

export async function deleteTrackedReplacement(kv: KVNamespace, id: number): Promise<void> {
  await kv.delete(`${KV_PREFIX.trackedReplacement}${id}`);
}
