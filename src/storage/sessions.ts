/**
 * Server-side logout for dashboard sessions: a revocation list in KV. Logout writes
 * `dashboard:revoked:<session id>` with a TTL that ends when the session would have expired, so the
 * list never outgrows the sessions still alive; every cookie-signed dashboard request reads that one
 * key (bearer requests read nothing).
 *
 * Why a revocation list rather than a list of live sessions: login then needs no KV write (the
 * Free plan has 1,000 a day) and keeps working if KV is slow. The cost is KV's consistency: a logout
 * is seen at once where it was made and within about 60 s everywhere else, so a copied cookie used
 * from another location may work for up to a minute after logout — instead of the 12 h it had before.
 */
import { KV_MIN_TTL_SECONDS, KV_PREFIX } from './keys';

export async function revokeSession(
  kv: KVNamespace,
  sessionId: string,
  expiresAtSeconds: number,
  nowMs: number,
): Promise<void> {
  const ttl = Math.max(KV_MIN_TTL_SECONDS, expiresAtSeconds - Math.floor(nowMs / 1000));
  await kv.put(`${KV_PREFIX.revokedSession}${sessionId}`, '1', { expirationTtl: ttl });
}

/** One KV read. */
export async function isSessionRevoked(kv: KVNamespace, sessionId: string): Promise<boolean> {
  return (await kv.get(`${KV_PREFIX.revokedSession}${sessionId}`)) !== null;
}
