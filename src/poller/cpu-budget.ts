/**
 * How many proxy-list requests a tick can afford inside the Workers Free plan's 10 ms of CPU time. A
 * tick that overruns is killed and writes nothing, so its sweep would never advance: the sweep is
 * sized from this cost model instead of a fixed guess. `npm run bench` measures the figures in workerd
 * (bench/tick-cpu-workerd.ts: the fixed part and each list request) and prints them beside the ones
 * used here; `BENCH_ONLY=tick-node` measures all of them in Node (bench/tick-model.ts).
 * SWEEP_PAGES_PER_TICK replaces the model's answer (paid plans: 30 s of CPU).
 *
 * The cost of one list request is the dialect's (WebshareApi.sweepRequestCpuMs, webshare/v1|v2/traits.ts).
 * The figures here were measured in Node and sit above workerd's (four runs, docs/performance.md: the
 * fixed part 0.23–0.46 ms, the stored state ~0.003 ms per KiB before it was packed); they are kept as the safe side, since
 * what overruns in workerd is a tick that meets a garbage collection, not the model. Each dialect's
 * list-request figure sits within or above workerd's measurements (the dialect's traits.ts says which).
 */

/**
 * The Free plan's 10 ms less room for a garbage collection landing on the tick: at 8 ms the largest
 * of ~170 ticks of a 100,000-proxy sweep reached 10.1 ms in `npm run bench`.
 */
export const TICK_CPU_TARGET_MS = 7;

export const TICK_CPU_MODEL = {
  /** A tick's work besides the sweep: stats, quotas, the snapshot, the state's bookkeeping, alerting. */
  fixedMs: 0.8,
  /**
   * Reading the stored state (the hour's bucket) and writing it back, per KiB read. 0.012 while the
   * tracked addresses were JSON arrays (Node measured 0.009–0.013); as packed lists, Node measures
   * 0.0027–0.0036 at 100,000 proxies (bench/tick-model.ts).
   */
  stateMsPerKiB: 0.004,
  /** Finishing a sweep, per invalid address tracked (unpacking, streaks, the sorted list; Node: 0.00047–0.00053). */
  finishMsPerTracked: 0.0005,
};

export interface TickLoad {
  /** CPU of one list request of the dialect's sweep (WebshareApi.sweepRequestCpuMs). */
  listRequestMs: number;
  /** Bytes of the stored state this tick read. */
  stateBytes: number;
  /** Invalid addresses the sweep carries (or, before it tracks any, the last sweep's streaks). */
  tracked: number;
  /** Requests left before the sweep finishes, when known (a paged sweep after its first page). */
  requestsLeft?: number | null;
}

/**
 * List requests that keep the tick inside TICK_CPU_TARGET_MS; at least one, so every sweep advances.
 * Finishing a sweep is priced only when this tick could finish it: when the sweep's end is known to
 * be further than the tick can read, the reserve would only slow the sweep down.
 */
export function sweepRequestsWithinCpu(load: TickLoad): number {
  const model = TICK_CPU_MODEL;
  const perRequest = load.listRequestMs;
  const spare = TICK_CPU_TARGET_MS - model.fixedMs - (load.stateBytes / 1024) * model.stateMsPerKiB;
  const affordable = (ms: number) => Math.max(1, Math.floor(ms / perRequest));
  const left = load.requestsLeft ?? null;
  const withoutFinishing = affordable(spare);
  if (left !== null && withoutFinishing < left) return withoutFinishing;
  const withFinishing = affordable(spare - load.tracked * model.finishMsPerTracked);
  // The end is in reach but finishing too would not fit: stop one short, and finish next tick.
  return left === null || withFinishing >= left ? withFinishing : Math.max(1, left - 1);
}
