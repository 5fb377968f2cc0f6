/**
 * One Durable Object that serialises the poll cycles of the whole account. KV has no compare-and-set,
 * so two overlapping cycles (a cron tick and a `POST /v1/poll`, or a slow tick and the next) would
 * both read the same alert state and both notify. Holding this lease for the length of a cycle makes
 * overlapping cycles impossible; the poller state's `last_scheduled_time` (read under the lease)
 * then turns away a repeated `scheduledTime`. Two small requests per tick: 576 a day at the default cron.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import type { SubrequestBudget } from '../lib/budget';
import type { Logger } from '../lib/log';

/**
 * Cron invocations get at most 15 minutes of wall time, so no live holder outlasts this lease; a holder
 * that crashed without releasing delays the next cycles by at most this long.
 */
export const POLL_LEASE_MS = 15 * 60_000;
/** The one instance: every cycle of the account goes through it. */
export const POLL_LOCK_NAME = 'poll-cycle';
/** A claim and a release, taken from the cycle's subrequest budget up front. */
export const POLL_LOCK_SUBREQUESTS = 2;

interface Lease {
  holder: number;
  untilMs: number;
}

export class PollLock extends DurableObject<Env> {
  /**
   * Takes the lease for `holder` (the cycle's scheduledTime) unless another holder has it. Only storage
   * operations run between the read and the write, so the object's input gate makes this atomic.
   */
  async claim(holder: number, nowMs: number): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
    const lease = await this.ctx.storage.get<Lease>('lease');
    if (lease && lease.holder !== holder && lease.untilMs > nowMs) {
      return { ok: false, retryAfterMs: lease.untilMs - nowMs };
    }
    await this.ctx.storage.put<Lease>('lease', { holder, untilMs: nowMs + POLL_LEASE_MS });
    return { ok: true };
  }

  /** Ends `holder`'s lease; a late release from a holder whose lease expired changes nothing. */
  async release(holder: number): Promise<void> {
    const lease = await this.ctx.storage.get<Lease>('lease');
    if (lease?.holder === holder) await this.ctx.storage.delete('lease');
  }
}

export type CycleClaim =
  { claimed: true; release(): Promise<void> } | { claimed: false; retryAfterMs: number };

/**
 * Claims the cycle. Without the binding, or when the object cannot be reached, the cycle still runs:
 * monitoring that stops because its lock is down would be worse than a rare duplicate message.
 */
export async function claimPollCycle(
  env: Env,
  holder: number,
  nowMs: number,
  budget: SubrequestBudget,
  log: Logger,
): Promise<CycleClaim> {
  const unlocked: CycleClaim = { claimed: true, release: async () => {} };
  const namespace = env.POLL_LOCK as DurableObjectNamespace<PollLock> | undefined;
  if (!namespace) return unlocked;
  for (let i = 0; i < POLL_LOCK_SUBREQUESTS; i++) budget.tryTake();
  const stub = namespace.get(namespace.idFromName(POLL_LOCK_NAME));
  try {
    const result = await stub.claim(holder, nowMs);
    if (!result.ok) return { claimed: false, retryAfterMs: result.retryAfterMs };
  } catch (error) {
    log.warn('poll lock unavailable; running the cycle without it', { error });
    return unlocked;
  }
  return {
    claimed: true,
    release: async () => {
      try {
        await stub.release(holder);
      } catch (error) {
        // The lease expires on its own; the next cycle waits at most POLL_LEASE_MS.
        log.warn('could not release the poll lock', { error });
      }
    },
  };
}
