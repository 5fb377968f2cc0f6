/**
 * The account's one Webshare rate gate. Webshare counts requests per minute per account, and the cron
 * tick, the admin API, chat-ops, the signup hooks and remediation all spend the same minute; a limiter
 * per invocation cannot see the others, so a burst on one path 429s the rest. This Durable Object (one
 * instance for the account) hands out request slots per limit class over a sliding window.
 *
 * Slots go out in batches (the tick takes what its budget can use in one round trip). A slot granted
 * at `at` may be used until `at + leaseMs` (the caller drops it after that), and a request reaches
 * Webshare a little after it leaves, so until the gate hears more a slot holds its place in the
 * window until `at + leaseMs + RATE_WINDOW_MS + NETWORK_MARGIN_MS`. Every grant sees fewer than
 * `limit` slots that could share a 60-second window with it, so no 60-second window at Webshare ever
 * holds more than `limit` requests, whatever the mix of callers.
 *
 * When the caller is done it settles (`release`): slots it did not use leave the window at once, and
 * each slot it used is moved back from its use-by to the time it was really used, so it holds the
 * window for RATE_WINDOW_MS + NETWORK_MARGIN_MS after that use and no longer. A tick that spent its 60
 * list slots in the first seconds of a 30-second lease frees them about 61 s after it sent them, not
 * 91 s. The guarantee is unchanged: a used slot's request reached Webshare within the margin after
 * the reported use, so it cannot share a window with a request sent a window and a margin later.
 *
 * The limits come with each ask (the transport's table, v1 or v2), and so does the clock: every
 * caller passes its own `Date.now()` (Workers' clocks agree), and tests drive simulated time.
 */
import { DurableObject } from 'cloudflare:workers';
import { RATE_WINDOW_MS, type RateBucket } from './rate-limits';

/** A request leaves a little before Webshare counts it, and not always equally late. */
export const NETWORK_MARGIN_MS = 1_000;
/** The longest a caller may hold a slot before using it (longer would hold the window too long). */
export const MAX_SLOT_LEASE_MS = 60_000;
/** The one instance: every Webshare request of the account goes through it. */
export const RATE_GATE_NAME = 'account';

export type SlotWants = Partial<Record<RateBucket, number>>;
export type SlotLimits = Readonly<Record<RateBucket, number>>;

export interface SlotAnswer {
  /** The caller's clock when the slots were granted: they may be used until `atMs + leaseMs`. */
  atMs: number;
  granted: Partial<Record<RateBucket, number>>;
  /** Per class that got fewer than it asked for: ms until one more slot frees. */
  retryAfterMs: Partial<Record<RateBucket, number>>;
}

/** What one class's log allows now: slots granted and the log to keep. */
export interface WindowGrant {
  /** Use-by times of the slots still holding the window, ascending, the new ones included. */
  log: number[];
  granted: number;
  /** 0 when everything asked for was granted. */
  retryAfterMs: number;
}

const HOLD_AFTER_USE_BY_MS = RATE_WINDOW_MS + NETWORK_MARGIN_MS;

/**
 * Grants up to `want` slots with use-by `nowMs + leaseMs` against a log of earlier use-by times.
 * A use-by more than a lease and a window ahead of `nowMs` comes from a clock that went back (only
 * tests do that): it is kept but does not count for this caller.
 */
export function grantInWindow(
  log: readonly number[],
  want: number,
  limit: number,
  leaseMs: number,
  nowMs: number,
): WindowGrant {
  const holding = log.filter((useBy) => useBy + HOLD_AFTER_USE_BY_MS > nowMs);
  const counted = holding.filter((useBy) => useBy <= nowMs + MAX_SLOT_LEASE_MS + RATE_WINDOW_MS);
  const granted = Math.max(0, Math.min(want, limit - counted.length));
  const useBy = nowMs + leaseMs;
  const next = [...holding, ...Array<number>(granted).fill(useBy)].sort((a, b) => a - b);
  if (granted === want) return { log: next, granted, retryAfterMs: 0 };
  // One more slot frees when enough of the counted ones have left the window to go below `limit`.
  const all = [...counted, ...Array<number>(granted).fill(useBy)].sort((a, b) => a - b);
  const freeing = all[Math.max(0, all.length - limit)] ?? nowMs;
  return { log: next, granted, retryAfterMs: Math.max(1, freeing + HOLD_AFTER_USE_BY_MS - nowMs) };
}

/** Use-by times of slots, per class. */
export type SlotsByUseBy = Partial<Record<RateBucket, number[]>>;
/** Slots used, per class: `[use-by, used at]`, both on the caller's clock. */
export type UsedSlots = Partial<Record<RateBucket, [number, number][]>>;

/**
 * One class's log after a settlement: returned slots removed, used ones moved to their use. A use
 * is believed only between the slot's grant at the earliest (its use-by minus the longest lease) and
 * its use-by (a slot is never sent later), so a wrong report can never free a slot early.
 */
export function settleLog(
  log: readonly number[],
  returned: readonly number[] = [],
  used: readonly (readonly [number, number])[] = [],
): number[] {
  const next = [...log];
  for (const useBy of returned) {
    const at = next.indexOf(useBy);
    if (at !== -1) next.splice(at, 1);
  }
  for (const [useBy, usedAt] of used) {
    const at = next.indexOf(useBy);
    if (at === -1 || !Number.isFinite(usedAt)) continue;
    next[at] = Math.min(useBy, Math.max(usedAt, useBy - MAX_SLOT_LEASE_MS));
  }
  return next.sort((a, b) => a - b);
}

function checkCount(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${what} must be a whole number ≥ 0`);
  }
  return value;
}

export class RateGate extends DurableObject {
  /**
   * Grants slots per class, as many as each window allows up to what was asked. Synchronous storage
   * only, so concurrent asks are answered one after another, each seeing the grants before it.
   */
  acquire(wants: SlotWants, limits: SlotLimits, leaseMs: number, nowMs: number): SlotAnswer {
    checkCount(nowMs, 'nowMs');
    if (checkCount(leaseMs, 'leaseMs') > MAX_SLOT_LEASE_MS) {
      throw new RangeError(`leaseMs may be at most ${MAX_SLOT_LEASE_MS}`);
    }
    const answer: SlotAnswer = { atMs: nowMs, granted: {}, retryAfterMs: {} };
    for (const [bucket, want] of Object.entries(wants) as [RateBucket, number][]) {
      const limit = checkCount(limits[bucket], `the ${bucket} limit`);
      const key = `slots:${bucket}`;
      const result = grantInWindow(
        this.ctx.storage.kv.get<number[]>(key) ?? [],
        checkCount(want, `the ${bucket} slots asked for`),
        limit,
        leaseMs,
        nowMs,
      );
      this.ctx.storage.kv.put(key, result.log);
      answer.granted[bucket] = result.granted;
      if (result.retryAfterMs > 0) answer.retryAfterMs[bucket] = result.retryAfterMs;
    }
    return answer;
  }

  /**
   * Settles slots by their use-by time. `returned` were granted but not used: they never reached
   * Webshare, so they stop holding the window at once (a tick that reserved a sweep and stopped
   * early, e.g. on an error, would otherwise starve the next minute). `used` were used at the time
   * given: each then holds the window from that use, not from its use-by.
   */
  release(returned: SlotsByUseBy, used: UsedSlots = {}): void {
    const buckets = new Set([...Object.keys(returned), ...Object.keys(used)] as RateBucket[]);
    for (const bucket of buckets) {
      const key = `slots:${bucket}`;
      const log = settleLog(this.ctx.storage.kv.get<number[]>(key) ?? [], returned[bucket], used[bucket]);
      this.ctx.storage.kv.put(key, log);
    }
  }
}

/** The account's gate, or undefined without the RATE_GATE binding. */
export function rateGateOf(
  namespace: DurableObjectNamespace<RateGate> | undefined,
): RateGateLike | undefined {
  if (!namespace) return undefined;
  const stub = namespace.get(namespace.idFromName(RATE_GATE_NAME));
  return {
    // RPC results come back as plain data of the declared shape.
    acquire: async (wants, limits, leaseMs, nowMs) =>
      (await stub.acquire(wants, limits, leaseMs, nowMs)) as SlotAnswer,
    release: async (returned, used) => {
      await stub.release(returned, used);
    },
  };
}

/** What a client needs of the gate: one round trip per ask. */
export interface RateGateLike {
  acquire(wants: SlotWants, limits: SlotLimits, leaseMs: number, nowMs: number): Promise<SlotAnswer>;
  /** Gives back unused slots and reports when the used ones were used, by use-by time. */
  release(returned: SlotsByUseBy, used?: UsedSlots): Promise<void>;
}
