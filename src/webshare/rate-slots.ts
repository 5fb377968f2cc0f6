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
import type { RateGateLike, SlotAnswer, SlotLimits, SlotWants } from './rate-gate';
import type { RateBucket } from './rate-limits';

/** An HTTP caller uses its slot at once; a short lease frees the window soonest. */
export const DEFAULT_SLOT_LEASE_MS = 5_000;
/** Refills ask for 1, then 2, then this many: a path that needed a second slot likely needs more. */
export const MAX_REFILL_SLOTS = 4;

export interface RateSlotsOptions {
  budget?: SubrequestBudget;
  /**
   * How many slots a refill asks for (default 1, 2, then up to MAX_REFILL_SLOTS). A caller that gives
   * back what it did not use (releaseUnused) can ask for more at once and save round trips.
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
   * Gives every slot still held back to the gate (one round trip, from the budget), so what this
   * invocation reserved and did not use frees the window for everyone else. Best effort.
   */
  async releaseUnused(): Promise<void> {
    const returned: Partial<Record<RateBucket, number[]>> = {};
    for (const bucket of Object.keys(this.#held) as RateBucket[]) {
      if (this.held(bucket) > 0) returned[bucket] = this.#held[bucket].splice(0);
    }
    if (this.#unreachable || Object.keys(returned).length === 0 || !this.#budget.tryTake()) return;
    this.#roundTrips++;
    try {
      await this.#gate.release(returned);
    } catch {
      // The slots lapse on their own, a lease and a window later.
    }
  }

  #useOne(bucket: RateBucket): boolean {
    if (this.held(bucket) === 0) return false;
    this.#held[bucket].shift();
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
