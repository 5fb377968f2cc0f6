import { describe, expect, it } from 'vitest';
import { DEFAULT_SUBREQUEST_BUDGET } from '../../src/config';
import { runTick } from '../../src/cycle/tick';
import { SUBUSER_PAGES_PER_TICK } from '../../src/poller/subuser-refresh';
import { FIVE_MINUTES_MS, START_MS, pollerRig } from './helpers';

const SUBUSERS = 1_300;

async function addSubUsers(rig: ReturnType<typeof pollerRig>, count: number): Promise<void> {
  rig.sim.control.setEnforceRateLimits(false);
  for (let i = 0; i < count; i++) {
    const response = await rig.sim.fetch(
      new Request('https://webshare.sim/api/subuser/', {
        method: 'POST',
        headers: { Authorization: 'Token test-api-key-9f8e7d6c', 'Content-Type': 'application/json' },
        body: JSON.stringify({ label: `customer-${i}`, proxy_limit: 5 }),
      }),
    );
    if (response.status !== 201 && response.status !== 200)
      throw new Error(`create failed: ${response.status}`);
  }
  rig.sim.control.setEnforceRateLimits(true);
  rig.sim.control.clearRequests();
}

describe('a reseller account with many sub-users', () => {
  it('pages sub-users over several ticks without starving the sweep or the budget', async () => {
    const rig = pollerRig({ proxyCount: 200, subUserLimit: 5_000 });
    await addSubUsers(rig, SUBUSERS);
    const pagesNeeded = Math.ceil(SUBUSERS / 25);
    let subusers = null;
    let ticks = 0;
    for (; ticks < 20 && !subusers; ticks++) {
      const nowMs = START_MS + ticks * FIVE_MINUTES_MS;
      rig.clock.now = nowMs;
      const { tick } = await runTick({ env: rig.env, scheduledTime: nowMs, nowMs });
      if (tick.status !== 'done') throw new Error(tick.status);
      expect(tick.snapshot.errors).toEqual([]);
      expect(tick.budget.used).toBeLessThanOrEqual(DEFAULT_SUBREQUEST_BUDGET);
      // The sweep keeps its share: the 200-proxy list (8 pages) is swept in the very first tick.
      expect(tick.snapshot.sweep?.total).toBe(200);
      subusers = tick.snapshot.subusers;
    }
    expect(ticks).toBe(Math.ceil(pagesNeeded / SUBUSER_PAGES_PER_TICK));
    expect(subusers).toHaveLength(SUBUSERS);
    expect(new Set(subusers!.map((s) => s.label)).size).toBe(SUBUSERS);
  });
});
