/**
 * Which dialect the account speaks, for WEBSHARE_API_VERSION=auto. One probe decides it: GET
 * /api/v2/subscription/ answering at all means v2; 404 means the server has no v2 (fall back to v1).
 * The answer is kept in KV (and in the poller state by the tick), so requests outside ticks read it
 * with one cached KV read, and it is probed again only when the chosen dialect starts answering 404
 * to its own paths (see `forgetDialect`).
 */
import type { WebshareApiChoice } from '../model/poller-state';
import type { WebshareDialect } from './api';
import { WebshareNotFoundError } from './errors';
import type { WebshareTransportOptions } from './transport';
import { WebshareV2Client } from './v2/client';

/** The KV key holding the probed dialect ({dialect, decided_at}). */
export const DIALECT_KV_KEY = 'webshare:dialect';
/** Requests outside ticks may see a new choice up to a minute late (KV's edge cache). */
const DIALECT_CACHE_TTL_SECONDS = 60;

export type DialectChoice = WebshareApiChoice;

/**
 * Probes v2 once. Throws the WebshareError of anything but a 2xx or a 404 (a 401 or an outage says
 * nothing about which dialect exists), so the caller decides nothing and probes again next time.
 */
export async function probeDialect(options: WebshareTransportOptions): Promise<WebshareDialect> {
  try {
    await new WebshareV2Client(options).subscription();
    return 'v2';
  } catch (error) {
    if (error instanceof WebshareNotFoundError) return 'v1';
    throw error;
  }
}

export async function readDialect(kv: KVNamespace): Promise<DialectChoice | null> {
  const stored = await kv.get<DialectChoice>(DIALECT_KV_KEY, {
    type: 'json',
    cacheTtl: DIALECT_CACHE_TTL_SECONDS,
  });
  return stored && (stored.dialect === 'v1' || stored.dialect === 'v2') ? stored : null;
}

export async function storeDialect(kv: KVNamespace, choice: DialectChoice): Promise<void> {
  await kv.put(DIALECT_KV_KEY, JSON.stringify(choice));
}

export async function forgetDialect(kv: KVNamespace): Promise<void> {
  await kv.delete(DIALECT_KV_KEY);
}
