/**
 * `alerts:silences`, one JSON document holding every silence; written only by POST and DELETE
 * /v1/silences. What a silence is and how it matches lives in src/alerts/silences.ts.
 */
import { KV_PREFIX } from './keys';

/** The stored document as JSON, or null when there is none; its shape is the caller's. */
export function readSilencesDoc<T>(kv: KVNamespace): Promise<T | null> {
  return kv.get<T>(KV_PREFIX.silences, 'json');
}

export async function writeSilencesDoc(kv: KVNamespace, doc: unknown): Promise<void> {
  await kv.put(KV_PREFIX.silences, JSON.stringify(doc));
}
