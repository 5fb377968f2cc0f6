import { describe, expect, it } from 'vitest';
import { TICK_CPU_MODEL, TICK_CPU_TARGET_MS, sweepRequestsWithinCpu } from '../../src/poller/cpu-budget';
import { traitsOf } from '../../src/webshare/dialects';

/** The CPU of one list request, as each dialect's port states it (at its measured page size). */
const perRequestOf = (dialect: 'v1' | 'v2', pageSize: number | null = null) =>
  traitsOf(dialect).sweepRequestCpuMs(pageSize);
const V1 = perRequestOf('v1');

const cost = (requests: number, load: { stateBytes: number; tracked: number }, perRequest: number) =>
  TICK_CPU_MODEL.fixedMs +
  (load.stateBytes / 1024) * TICK_CPU_MODEL.stateMsPerKiB +
  load.tracked * TICK_CPU_MODEL.finishMsPerTracked +
  requests * perRequest;

describe('the tick CPU model', () => {
  it('affords the most requests whose modelled cost stays inside the target', () => {
    for (const dialect of ['v1', 'v2'] as const) {
      for (const load of [
        { stateBytes: 0, tracked: 0 },
        { stateBytes: 50_000, tracked: 500 },
        { stateBytes: 250_000, tracked: 5_000 },
      ]) {
        const perRequest = perRequestOf(dialect);
        const requests = sweepRequestsWithinCpu({ listRequestMs: perRequest, ...load });
        expect(cost(requests, load, perRequest)).toBeLessThanOrEqual(TICK_CPU_TARGET_MS);
        expect(cost(requests + 1, load, perRequest)).toBeGreaterThan(TICK_CPU_TARGET_MS);
      }
    }
  });

  it('sweeps fewer pages as the stored state and the tracked addresses grow', () => {
    const empty = sweepRequestsWithinCpu({ listRequestMs: V1, stateBytes: 0, tracked: 0 });
    const large = sweepRequestsWithinCpu({ listRequestMs: V1, stateBytes: 250_000, tracked: 5_000 });
    expect(large).toBeLessThan(empty);
    const v2 = perRequestOf('v2');
    expect(sweepRequestsWithinCpu({ listRequestMs: v2, stateBytes: 0, tracked: 0 })).toBeLessThan(empty);
  });

  it('prices a v1 page by its size, and always allows one request so a sweep advances', () => {
    const load = { stateBytes: 0, tracked: 0 };
    const of25 = sweepRequestsWithinCpu({ listRequestMs: perRequestOf('v1', 25), ...load });
    const of100 = sweepRequestsWithinCpu({ listRequestMs: perRequestOf('v1', 100), ...load });
    expect(of100).toBe(Math.floor(of25 / 4));
    expect(sweepRequestsWithinCpu({ listRequestMs: V1, stateBytes: 10_000_000, tracked: 5_000 })).toBe(1);
  });

  it('reserves the finishing cost only on a tick that could finish the sweep', () => {
    const load = { listRequestMs: V1, stateBytes: 100_000, tracked: 5_000 };
    const far = sweepRequestsWithinCpu({ ...load, requestsLeft: 1_000 });
    const reserving = sweepRequestsWithinCpu(load);
    expect(far).toBeGreaterThan(reserving);
    expect(cost(far, { ...load, tracked: 0 }, V1)).toBeLessThanOrEqual(TICK_CPU_TARGET_MS);
    // In reach only without the finishing cost: one short, so the next tick finishes with room for it.
    expect(sweepRequestsWithinCpu({ ...load, requestsLeft: far })).toBe(far - 1);
    // In reach with it: finish now.
    expect(sweepRequestsWithinCpu({ ...load, requestsLeft: reserving })).toBe(reserving);
  });
});
