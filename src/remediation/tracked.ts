/**
 * v2 replacements started outside a tick (admin API, chat-ops), handed to the poller to follow: one
 * KV key per replacement, its record in the key's metadata, so a tick finds them all with one list
 * and no reads, and two requests never overwrite each other's record. The tick deletes a key once
 * the replacement is announced; a forgotten key expires after a week.
 */
import type { InFlightReplacement } from '../model/remediation';

export const TRACKED_REPLACEMENT_PREFIX = 'replacement:v2:';
const TRACKED_TTL_SECONDS = 7 * 86_400;
/** Followed per tick at most, oldest first; the rest wait for later ticks. */
export const TRACKED_LISTED_MAX = 50;

export async function trackReplacement(
  kv: KVNamespace,
  replacement: { id?: number; ip_address: string },
  origin: 'admin' | 'chatops',
  nowMs: number,
): Promise<void> {
  if (replacement.id === undefined) return;
  const record: InFlightReplacement = {
    id: replacement.id,
    address: replacement.ip_address.replace(/\/(32|128)$/, ''),
    since: new Date(nowMs).toISOString(),
    origin,
    checks: 0,
  };
  await kv.put(`${TRACKED_REPLACEMENT_PREFIX}${replacement.id}`, '', {
    metadata: record,
    expirationTtl: TRACKED_TTL_SECONDS,
  });
}

export async function listTrackedReplacements(kv: KVNamespace): Promise<InFlightReplacement[]> {
  const listed = await kv.list<InFlightReplacement>({
    prefix: TRACKED_REPLACEMENT_PREFIX,
    limit: TRACKED_LISTED_MAX,
  });
  return listed.keys
    .map((key) => key.metadata)
    .filter((m): m is InFlightReplacement => typeof m?.id === 'number' && typeof m.address === 'string');
}

export async function untrackReplacement(kv: KVNamespace, id: number): Promise<void> {
  await kv.delete(`${TRACKED_REPLACEMENT_PREFIX}${id}`);
}
