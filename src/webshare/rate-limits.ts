/**
 * Webshare's documented rate limits, enforced on our side so a client never sends a request that
 * would exceed them: "General API: 180 requests every minute. Proxy List API: 60 requests every
 * minute. Proxy List Download Links: 20 requests every minute."
 */

export const RATE_WINDOW_MS = 60_000;

export const RATE_LIMITS_PER_MINUTE = {
  general: 180,
  proxyList: 60,
  downloadLinks: 20,
} as const;

export type RateBucket = keyof typeof RATE_LIMITS_PER_MINUTE;

/**
 * The v2/v3 API's limits (apidocs.webshare.io, "Rate Limits"): "General API 240 requests every
 * minute; Proxy List Download Links 30; Proxy List Endpoints 60". On 429 "it is required to wait
 * for 60 seconds" — the transport's default when no Retry-After comes (none is documented).
 */
export const RATE_LIMITS_V2_PER_MINUTE: Record<RateBucket, number> = {
  general: 240,
  proxyList: 60,
  downloadLinks: 30,
};

/** Sliding-window log: exact over any 60-second window, which a fixed window is not. */
export class SlidingWindowLimiter {
  readonly #sent = new Map<RateBucket, number[]>();

  constructor(
    /** The limits this limiter keeps; the account's rate gate is asked with the same table. */
    readonly limits: Readonly<Record<RateBucket, number>> = RATE_LIMITS_PER_MINUTE,
    private readonly windowMs = RATE_WINDOW_MS,
  ) {}

  /** Milliseconds until a request in `bucket` may be sent (0 when it may be sent now). */
  waitMs(bucket: RateBucket, nowMs: number): number {
    const log = this.#prune(bucket, nowMs);
    const limit = this.limits[bucket];
    if (log.length < limit) return 0;
    const oldestInWindow = log[log.length - limit] as number;
    return oldestInWindow + this.windowMs - nowMs;
  }

  record(bucket: RateBucket, nowMs: number): void {
    this.#prune(bucket, nowMs).push(nowMs);
  }

  /** Requests sent in `bucket` within the window ending at `nowMs`. */
  countInWindow(bucket: RateBucket, nowMs: number): number {
    return this.#prune(bucket, nowMs).length;
  }

  #prune(bucket: RateBucket, nowMs: number): number[] {
    const log = this.#sent.get(bucket) ?? [];
    let drop = 0;
    while (drop < log.length && (log[drop] as number) <= nowMs - this.windowMs) drop++;
    const kept = drop > 0 ? log.slice(drop) : log;
    this.#sent.set(bucket, kept);
    return kept;
  }
}
