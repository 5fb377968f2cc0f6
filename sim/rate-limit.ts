/**
 * Webshare's documented limits — "General API: 180 requests every minute. Proxy List API: 60
 * requests every minute." — as a sliding 60 s window on the simulator clock, so tests control it
 * with advance() instead of waiting.
 */

export type SimBucket = 'general' | 'proxyList';

export const SIM_RATE_WINDOW_MS = 60_000;
export const SIM_RATE_LIMITS_PER_MINUTE: Record<SimBucket, number> = { general: 180, proxyList: 60 };
/** v2's documented limits: "General API 240 requests every minute … Proxy List Endpoints 60". */
export const SIM_RATE_LIMITS_V2_PER_MINUTE: Record<SimBucket, number> = { general: 240, proxyList: 60 };

export class SimRateLimiter {
  readonly #log: Record<SimBucket, number[]> = { general: [], proxyList: [] };

  /**
   * Records the request when the bucket has room and returns 0; otherwise returns the whole seconds
   * until it will (throttled requests are not recorded, as in DRF).
   */
  take(bucket: SimBucket, nowMs: number, limits = SIM_RATE_LIMITS_PER_MINUTE): number {
    const log = this.#prune(bucket, nowMs);
    const limit = limits[bucket];
    if (log.length < limit) {
      log.push(nowMs);
      return 0;
    }
    const oldest = log[log.length - limit] as number;
    return Math.max(1, Math.ceil((oldest + SIM_RATE_WINDOW_MS - nowMs) / 1000));
  }

  inWindow(bucket: SimBucket, nowMs: number): number {
    return this.#prune(bucket, nowMs).length;
  }

  clear(): void {
    this.#log.general = [];
    this.#log.proxyList = [];
  }

  #prune(bucket: SimBucket, nowMs: number): number[] {
    const log = this.#log[bucket];
    let drop = 0;
    while (drop < log.length && (log[drop] as number) <= nowMs - SIM_RATE_WINDOW_MS) drop++;
    if (drop > 0) log.splice(0, drop);
    return log;
  }
}
