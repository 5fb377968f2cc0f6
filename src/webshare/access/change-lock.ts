/**
 * One Durable Object that serialises the account's authorised-IP changes. On v1 the set is one field
 * of the proxy config, replaced whole: a change reads the set, edits it and posts it back. Two changes
 * that overlap would each post the set they read, so a `remove X` overlapping an `add Y` was answered
 * and announced as done while X stayed authorised (or Y was dropped). A change holds this lease from
 * its read to its re-read, so changes run one after the other, whichever edge (admin API, chat-ops)
 * sent them. v2 holds it too: one lock for "the authorised set" whatever the dialect.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../../env';
import { AuthorizedIpsBusyError } from './types';

/** The one instance: every change of the account's authorised IPs goes through it. */
export const ACCESS_LOCK_NAME = 'authorized-ips';
/**
 * How long a holder keeps the lease at most. A v1 change is three Webshare calls (read, post,
 * re-read) of at most 10 s each; a v2 change of 20 addresses stays within a minute. A holder that
 * died without releasing delays the next change by at most this long.
 */
export const ACCESS_LEASE_MS = 60_000;
/** How long a change waits for the one before it; then it is refused (409, Retry-After). */
export const ACCESS_WAIT_MS = 10_000;
/** How often a waiting change looks at the lease again (inside the object: no subrequest each). */
const RECHECK_MS = 50;

interface Lease {
  token: string;
  untilMs: number;
}

type AcquireAnswer = { ok: true } | { ok: false; retryAfterMs: number };

export class AccessChangeLock extends DurableObject<Env> {
  /**
   * Takes the lease for `token`, waiting up to `waitMs` for the current holder. Only storage
   * operations run between each read and write, so the object's input gate makes each look atomic.
   */
  async acquire(token: string, waitMs: number): Promise<AcquireAnswer> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const now = Date.now();
      const lease = await this.ctx.storage.get<Lease>('lease');
      if (!lease || lease.token === token || lease.untilMs <= now) {
        await this.ctx.storage.put<Lease>('lease', { token, untilMs: now + ACCESS_LEASE_MS });
        return { ok: true };
      }
      if (now >= deadline) return { ok: false, retryAfterMs: lease.untilMs - now };
      await new Promise((resolve) => setTimeout(resolve, RECHECK_MS));
    }
  }

  /** Ends `token`'s lease; a late release (its lease expired and was taken) changes nothing. */
  async release(token: string): Promise<void> {
    const lease = await this.ctx.storage.get<Lease>('lease');
    if (lease?.token === token) await this.ctx.storage.delete('lease');
  }
}

/**
 * Runs `change` while holding the lease. Without the binding the change runs unserialised, as before
 * the lock existed; when the lease is not free within ACCESS_WAIT_MS it throws AuthorizedIpsBusyError
 * and nothing is changed.
 */
export async function withAccessLock<T>(
  namespace: DurableObjectNamespace<AccessChangeLock> | undefined,
  change: () => Promise<T>,
): Promise<T> {
  if (!namespace) return change();
  const stub = namespace.get(namespace.idFromName(ACCESS_LOCK_NAME));
  const token = crypto.randomUUID();
  // RPC results come back as plain data; the declared union is what acquire() returns.
  const answer = (await stub.acquire(token, ACCESS_WAIT_MS)) as AcquireAnswer;
  if (!answer.ok) throw new AuthorizedIpsBusyError(answer.retryAfterMs);
  try {
    return await change();
  } finally {
    // A failed release leaves the lease to expire (ACCESS_LEASE_MS); the change itself is done.
    await stub.release(token).catch(() => undefined);
  }
}
