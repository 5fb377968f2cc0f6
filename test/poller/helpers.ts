/** Drives the real scheduled handler against the simulator and real KV, with a controllable clock. */
import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../sim';
import type { Env } from '../../src/env';
import worker from '../../src/index';
import { PollerStore } from '../../src/storage/poller-store';
import { hoursAhead } from '../helpers/clock';
import { routeOutbound } from '../helpers/outbound';

export const FIVE_MINUTES_MS = 5 * 60_000;
/** For a test that runs dozens of ticks: a few seconds alone, past vitest's 5 s on a loaded machine. */
export const SLOW_TEST_TIMEOUT_MS = 30_000;
/** Where a test's run of ticks starts: a whole hour ahead of the suite's clock, on any date. */
export const START_MS = hoursAhead(1);

export interface PollerRig {
  sim: Simulator;
  env: Env;
  clock: { now: number };
  tick(scheduledTime?: number): Promise<void>;
  store(): PollerStore;
}

export function pollerRig(options: SimulatorOptions = {}, extraEnv: Partial<Env> = {}): PollerRig {
  const clock = { now: START_MS };
  const sim = createSimulator({ now: () => clock.now, ...options });
  routeOutbound({ 'webshare.sim': sim.fetch });
  const testEnv = { ...(env as unknown as Env), ...extraEnv };
  return {
    sim,
    env: testEnv,
    clock,
    async tick(scheduledTime = clock.now) {
      clock.now = scheduledTime;
      const ctx = createExecutionContext();
      await worker.scheduled!(
        createScheduledController({ scheduledTime, cron: '*/5 * * * *' }),
        testEnv,
        ctx,
      );
      await waitOnExecutionContext(ctx);
    },
    store: () => new PollerStore(testEnv.STATE, 30),
  };
}
