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
import type { DeliveryLog } from '../notifiers/outbox';

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

/** Pieces of delivery log handed over by senders outside a tick, waiting for the next tick. */
const MAILBOX_KEY = 'mailbox';
/** Hand-overs kept at most; beyond it the oldest go (each is one hook's undelivered announcement). */
export const MAILBOX_LIMIT = 100;

interface Posted {
  id: string;
  piece: DeliveryLog;
}

type ClaimAnswer = { ok: true; mailbox: Posted[] } | { ok: false; retryAfterMs: number };

export class PollLock extends DurableObject<Env> {
  /**
   * Takes the lease for `holder` (the cycle's scheduledTime) unless another holder has it. Only storage
   * operations run between the read and the write, so the object's input gate makes this atomic.
   */
  async claim(holder: number, nowMs: number): Promise<ClaimAnswer> {
    const lease = await this.ctx.storage.get<Lease>('lease');
    if (lease && lease.holder !== holder && lease.untilMs > nowMs) {
      return { ok: false, retryAfterMs: lease.untilMs - nowMs };
    }
    await this.ctx.storage.put<Lease>('lease', { holder, untilMs: nowMs + POLL_LEASE_MS });
    // Handed to the holder but kept until its release says they are in the outbox: a tick that dies
    // in between leaves them for the next one (the outbox keeps each delivery id once).
    return { ok: true, mailbox: (await this.ctx.storage.get<Posted[]>(MAILBOX_KEY)) ?? [] };
  }

  /** Ends `holder`'s lease and drops the hand-overs it adopted; a late release changes nothing. */
  async release(holder: number, adopted: string[] = []): Promise<void> {
    const lease = await this.ctx.storage.get<Lease>('lease');
    if (lease?.holder !== holder) return;
    await this.ctx.storage.delete('lease');
    if (adopted.length === 0) return;
    const done = new Set(adopted);
    const left = ((await this.ctx.storage.get<Posted[]>(MAILBOX_KEY)) ?? []).filter((p) => !done.has(p.id));
    await this.ctx.storage.put<Posted[]>(MAILBOX_KEY, left);
  }

  /** A sender outside a tick hands over what it could not deliver; the next tick adopts it. */
  async post(piece: DeliveryLog): Promise<void> {
    const mailbox = (await this.ctx.storage.get<Posted[]>(MAILBOX_KEY)) ?? [];
    mailbox.push({ id: crypto.randomUUID(), piece });
    await this.ctx.storage.put<Posted[]>(MAILBOX_KEY, mailbox.slice(-MAILBOX_LIMIT));
  }
}

export type CycleClaim =
  | {
      claimed: true;
      /** Delivery log handed over from outside ticks, to fold into the outbox. */
      handedOver: DeliveryLog[];
      /** Ends the lease; `adopted` says the hand-overs are in the outbox now. */
      release(adopted?: boolean): Promise<void>;
    }
  | { claimed: false; retryAfterMs: number };

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
  const unlocked: CycleClaim = { claimed: true, handedOver: [], release: async () => {} };
  const namespace = env.POLL_LOCK as DurableObjectNamespace<PollLock> | undefined;
  if (!namespace) return unlocked;
  for (let i = 0; i < POLL_LOCK_SUBREQUESTS; i++) budget.tryTake();
  const stub = pollLock(namespace);
  let mailbox: Posted[];
  try {
    // RPC results come back as plain data; the declared union is what claim() returns.
    const result = (await stub.claim(holder, nowMs)) as ClaimAnswer;
    if (!result.ok) return { claimed: false, retryAfterMs: result.retryAfterMs };
    mailbox = result.mailbox;
  } catch (error) {
    log.warn('poll lock unavailable; running the cycle without it', { error });
    return unlocked;
  }
  return {
    claimed: true,
    handedOver: mailbox.map((posted) => posted.piece),
    release: async (adopted = false) => {
      try {
        await stub.release(holder, adopted ? mailbox.map((posted) => posted.id) : []);
      } catch (error) {
        // The lease expires on its own; the next cycle waits at most POLL_LEASE_MS.
        log.warn('could not release the poll lock', { error });
      }
    },
  };
}

function pollLock(namespace: DurableObjectNamespace<PollLock>): DurableObjectStub<PollLock> {
  return namespace.get(namespace.idFromName(POLL_LOCK_NAME));
}

/**
 * Hands undelivered notifications from outside a tick to the next tick, which folds them into the
 * outbox. Returns false when there is no lock to hand them to (they are then lost, and logged).
 */
export async function handOverToNextTick(env: Env, piece: DeliveryLog): Promise<boolean> {
  const namespace = env.POLL_LOCK as DurableObjectNamespace<PollLock> | undefined;
  if (!namespace) return false;
  await pollLock(namespace).post(piece);
  return true;
}
