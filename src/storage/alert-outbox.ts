/**
 * `alerts:outbox`, the delivery log and retry queue of one-off messages, as text (parsed by
 * src/alerts/state-store.ts). Only ticks write it, under the poll lease: KV has no compare-and-set,
 * so a writer outside a tick would lose a tick's update or have its own lost. Senders outside a tick
 * hand their messages to the next tick instead (src/cycle/hand-over.ts).
 */
import { KV_PREFIX } from './keys';

export function readOutboxText(kv: KVNamespace): Promise<string | null> {
  return kv.get(KV_PREFIX.outbox);
}

export async function writeOutboxText(kv: KVNamespace, text: string): Promise<void> {
  await kv.put(KV_PREFIX.outbox, text);
}
