/**
 * `webshare:dialect`: the dialect WEBSHARE_API_VERSION=auto probed, so requests outside ticks read it
 * with one cached KV read instead of probing again (src/webshare/auto.ts probes, and decides when to
 * store or forget it).
 */
import { isWebshareDialect, type DialectChoice } from '../model/dialect';
import { DIALECT_CACHE_TTL_SECONDS, KV_PREFIX } from './keys';

export async function readDialect(kv: KVNamespace): Promise<DialectChoice | null> {
  const stored = await kv.get<DialectChoice>(KV_PREFIX.dialect, {
    type: 'json',
    cacheTtl: DIALECT_CACHE_TTL_SECONDS,
  });
  return stored && isWebshareDialect(stored.dialect) ? stored : null;
}

export async function storeDialect(kv: KVNamespace, choice: DialectChoice): Promise<void> {
  await kv.put(KV_PREFIX.dialect, JSON.stringify(choice));
}

export async function forgetDialect(kv: KVNamespace): Promise<void> {
  await kv.delete(KV_PREFIX.dialect);
}
