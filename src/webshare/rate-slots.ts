/**
 * One invocation's slots from the account's rate gate (rate-gate.ts): the transport takes one per
 * attempt from a local batch and refills from the gate when the batch is empty or its lease is over.
 * Each round trip to the gate is a subrequest, so it is taken from the invocation's budget. When the
 * gate cannot be reached the invocation goes on with its own limiter only (as without the binding):
 * monitoring and admin calls that stop because the gate is down would be worse than a rare 429.
 */
import { unlimitedBudget, type SubrequestBudget } from '../lib/budget';
import { realSleep, type Sleep } from '../lib/http';
import { SubrequestBudgetExhaustedError, WebshareLocalRateLimitError } from './errors';
import type { RateGateLike, SlotAnswer, SlotLimits, SlotWants, SlotsByUseBy, UsedSlots } from './rate-gate';
import type { RateBucket } from './rate-limits';

/** An HTTP caller uses its slot at once; a short lease frees the window soonest. */
export const DEFAULT_SLOT_LEASE_MS = 5_000;
/** Refills ask for 1, then 2, then this many: a path that needed a second slot likely needs more. */
export const MAX_REFILL_SLOTS = 4;

export interface RateSlotsOptions {
  budget?: SubrequestBudget;
  /**
   * How many slots a refill asks for (default 1, 2, then up to MAX_REFILL_SLOTS). A caller that gives
   * back what it did not use (settle) can ask for more at once and save round trips.
   */
  refillSize?: (bucket: RateBucket, refills: number) => number;
  /** How long a granted slot stays usable (the tick's sequential sweep needs longer than HTTP). */
  leaseMs?: number;
  now?: () => number;
  sleep?: Sleep;
}

interface Where {
  method: string;
  path: string;
}

/** What the transport asks of its slot source before every attempt. */
export interface SlotSource {
  take(bucket: RateBucket, limits: SlotLimits, maxWaitMs: number, where: Where): Promise<void>;
}

export class RateSlots implements SlotSource {
  readonly #gate: RateGateLike;
  readonly #budget: SubrequestBudget;
  readonly #leaseMs: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #refillSize: (bucket: RateBucket, refills: number) => number;
  /** Use-by times of the slots held, per class. */
  readonly #held: Record<RateBucket, number[]> = { general: [], proxyList: [], downloadLinks: [] };
  readonly #refills: Record<RateBucket, number> = { general: 0, proxyList: 0, downloadLinks: 0 };
  /** Slots used and not yet reported to the gate: `[use-by, used at]`, per class. */
  readonly #used: Record<RateBucket, [number, number][]> = { general: [], proxyList: [], downloadLinks: [] };
  #asking: Promise<SlotAnswer | undefined> | undefined;
  #unreachable = false;
  #roundTrips = 0;

  constructor(gate: RateGateLike, options: RateSlotsOptions = {}) {
    this.#gate = gate;
    this.#budget = options.budget ?? unlimitedBudget();
    this.#leaseMs = options.leaseMs ?? DEFAULT_SLOT_LEASE_MS;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#refillSize = options.refillSize ?? ((_bucket, refills) => Math.min(MAX_REFILL_SLOTS, 2 ** refills));
  }

  /** Round trips made to the gate (each one a subrequest). */
  get roundTrips(): number {
    return this.#roundTrips;
  }

  /** The gate could not be reached: this invocation went on with its own limiter only. */
  get unreachable(): boolean {
    return this.#unreachable;
  }

  /** Slots held now in `bucket` and not past their lease. */
  held(bucket: RateBucket): number {
    const nowMs = this.#now();
    this.#held[bucket] = this.#held[bucket].filter((useBy) => useBy >= nowMs);
    return this.#held[bucket].length;
  }

  /**
   * Takes a batch for several classes in one round trip (the tick's plan). Spends no slot and makes
   * no round trip when the budget has nothing left for it.
   */
  async reserve(wants: SlotWants, limits: SlotLimits): Promise<void> {
    if (this.#unreachable || !Object.values(wants).some((n) => (n ?? 0) > 0)) return;
    if (!this.#budget.tryTake()) return;
    await this.#ask(wants, limits);
  }

  /** One slot for an attempt in `bucket`: held, refilled, waited for, or WebshareLocalRateLimitError. */
  async take(bucket: RateBucket, limits: SlotLimits, maxWaitMs: number, where: Where): Promise<void> {
    let waitedMs = 0;
    for (;;) {
      if (this.#useOne(bucket) || this.#unreachable) return;
      if (this.#asking) {
        await this.#asking;
        continue;
      }
      if (!this.#budget.tryTake()) {
        throw new SubrequestBudgetExhaustedError(
          `subrequest budget of ${this.#budget.limit} spent; no rate slot asked`,
          where,
        );
      }
      const size = Math.max(1, this.#refillSize(bucket, this.#refills[bucket]++));
      const answer = await this.#ask({ [bucket]: size }, limits);
      if (!answer || this.#useOne(bucket)) return;
      const waitMs = answer.retryAfterMs[bucket] ?? 1;
      if (waitedMs + waitMs > maxWaitMs) {
        throw new WebshareLocalRateLimitError(`the account's ${bucket} rate limit is reached; not sent`, {
          ...where,
          retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
        });
      }
      await this.#sleep(waitMs);
      waitedMs += waitMs;
    }
  }

  /**
   * Settles with the gate when this invocation is done with Webshare (one round trip, from the
   * budget): every slot still held goes back, so what was reserved and not used frees the window at
   * once, and every slot used is reported with the time it was used, so it holds the window a
   * minute (and the margin) after that use rather than after its lease. Best effort: without the
   * round trip the slots lapse on their own, a lease and a window after their grant.
   */
  async settle(): Promise<void> {
    const returned: SlotsByUseBy = {};
    const used: UsedSlots = {};
    for (const bucket of Object.keys(this.#held) as RateBucket[]) {
      if (this.held(bucket) > 0) returned[bucket] = this.#held[bucket].splice(0);
      if (this.#used[bucket].length > 0) used[bucket] = this.#used[bucket].splice(0);
    }
    const nothing = Object.keys(returned).length === 0 && Object.keys(used).length === 0;
    if (this.#unreachable || nothing || !this.#budget.tryTake()) return;
    this.#roundTrips++;
    try {
      await this.#gate.release(returned, used);
    } catch {
      // The slots lapse on their own, a lease and a window later.
    }
  }

  #useOne(bucket: RateBucket): boolean {
    if (this.held(bucket) === 0) return false;
    const useBy = this.#held[bucket].shift() as number;
    this.#used[bucket].push([useBy, this.#now()]);
    return true;
  }

  /** One round trip (the caller took its subrequest); concurrent attempts wait for it, then look again. */
  async #ask(wants: SlotWants, limits: SlotLimits): Promise<SlotAnswer | undefined> {
    this.#roundTrips++;
    const asking = this.#gate.acquire(wants, limits, this.#leaseMs, this.#now()).then(
      (answer) => {
        for (const [bucket, count] of Object.entries(answer.granted) as [RateBucket, number][]) {
          for (let i = 0; i < count; i++) this.#held[bucket].push(answer.atMs + this.#leaseMs);
        }
        return answer;
      },
      () => {
        this.#unreachable = true;
        return undefined;
      },
    );
    this.#asking = asking;
    try {
      return await asking;
    } finally {
      this.#asking = undefined;
    }
  }
}
