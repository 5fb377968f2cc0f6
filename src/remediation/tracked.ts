/**
 * v2 replacements started outside a tick (admin API, chat-ops), handed to the poller to follow: the
 * record the tick needs, kept under its own key (src/storage/tracked-replacements.ts). The tick
 * deletes it once the replacement is announced; a forgotten one expires after a week.
 */
import type { InFlightReplacement } from '../model/remediation';
import { putTrackedReplacement } from '../storage/tracked-replacements';

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
  await putTrackedReplacement(kv, record);
}
