/**
 * `alerts:state`, the alert engine's one document (lifecycle records, its own outbox and delivery
 * log), as text: the engine parses it (src/alerts/state-store.ts) and compares the text it read with
 * the text it would write, so a steady tick writes nothing. Written only by ticks, under the poll lease.
 */
import { KV_PREFIX } from './keys';

export function readAlertStateText(kv: KVNamespace): Promise<string | null> {
  return kv.get(KV_PREFIX.alertState);
}

export async function writeAlertStateText(kv: KVNamespace, text: string): Promise<void> {
  await kv.put(KV_PREFIX.alertState, text);
}
