/**
 * `webshare:dialect`: the dialect WEBSHARE_API_VERSION=auto probed, so requests outside ticks read it
 * with one cached KV read instead of probing again (src/webshare/dialect.ts probes; the poller and the
 * resolving client decide when to store or forget it).
 */
import type { WebshareApiChoice } from '../model/poller-state';
import { DIALECT_CACHE_TTL_SECONDS, KV_PREFIX } from './keys';

export async function readDialect(kv: KVNamespace): Promise<WebshareApiChoice | null> {
  const stored = await kv.get<WebshareApiChoice>(KV_PREFIX.dialect, {
    type: 'json',
    cacheTtl: DIALECT_CACHE_TTL_SECONDS,
  });
  return stored && (stored.dialect === 'v1' || stored.dialect === 'v2') ? stored : null;
}

export async function storeDialect(kv: KVNamespace, choice: WebshareApiChoice): Promise<void> {
  await kv.put(KV_PREFIX.dialect, JSON.stringify(choice));
}

export async function forgetDialect(kv: KVNamespace): Promise<void> {
  await kv.delete(KV_PREFIX.dialect);
}
