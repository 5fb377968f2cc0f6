import { describe, expect, it } from 'vitest';
import { DEFAULT_SUBREQUEST_BUDGET } from '../../src/config';
import { runTick } from '../../src/cycle/tick';
import { unpack } from '../../src/model/packed-list';
import type { SweepAccumulator } from '../../src/model/poller-state';
import { bucketKey, type HistoryBucket } from '../../src/storage/poller-store';
import { FIVE_MINUTES_MS, START_MS, pollerRig } from './helpers';

const ONE_MINUTE_MS = 60_000;

describe('the validity sweep of a large account', () => {
  it('covers 10,000 proxies over several ticks within the subrequest budget and the list rate limit', async () => {
    const rig = pollerRig({ proxyCount: 10_000, pageSize: 25 });
    const invalid = rig.sim.control.invalidate(300);
    const ticks: { used: number; pages: number }[] = [];
    let sweep = null;
    // Ticks one minute apart (a tighter cron than the default) stress the 60/min proxy-list limit.
    for (let i = 0; i < 20 && !sweep; i++) {
      const nowMs = START_MS + i * ONE_MINUTE_MS;
      rig.clock.now = nowMs;
      const { tick } = await runTick({ env: rig.env, scheduledTime: nowMs, nowMs });
      if (tick.status !== 'done') throw new Error(`tick ${i} was ${tick.status}`);
      ticks.push({ used: tick.budget.used, pages: tick.sweepPages });
      sweep = tick.snapshot.sweep;
      expect(tick.snapshot.errors).toEqual([]);
    }

    expect(sweep).toMatchObject({ total: 10_000, invalid: 300, invalid_ratio: 0.03 });
    expect(sweep!.ticks).toBe(ticks.length);
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) expect(tick.used).toBeLessThanOrEqual(DEFAULT_SUBREQUEST_BUDGET);
    expect(ticks.reduce((sum, t) => sum + t.pages, 0)).toBe(400);
    expect(new Set(sweep!.invalid_proxies.map((p) => p.proxy_address)).size).toBe(200);
    expect(invalid).toEqual(expect.arrayContaining(sweep!.invalid_proxies.map((p) => p.proxy_address)));

    // No 60-second window ever saw more than 60 proxy-list requests, and Webshare never throttled us.
    const listTimes = rig.sim.requests.filter((r) => r.bucket === 'proxyList').map((r) => r.time);
    for (const time of listTimes) {
      expect(listTimes.filter((t) => t > time - ONE_MINUTE_MS && t <= time).length).toBeLessThanOrEqual(60);
    }
    expect(rig.sim.requests.filter((r) => r.status === 429)).toEqual([]);
  });

  it('restarts a sweep when the list changes size mid-sweep instead of mixing two lists', async () => {
    const rig = pollerRig({ proxyCount: 2_000, pageSize: 25 });
    await rig.tick(START_MS);
    rig.sim.control.setProxyCount(1_500);
    let snapshot = null;
    for (let i = 1; i < 10; i++) {
      const nowMs = START_MS + i * 5 * ONE_MINUTE_MS;
      rig.clock.now = nowMs;
      const { tick } = await runTick({ env: rig.env, scheduledTime: nowMs, nowMs });
      if (tick.status === 'done' && tick.snapshot.sweep) {
        snapshot = tick.snapshot;
        break;
      }
    }
    expect(snapshot?.sweep?.total).toBe(1_500);
  });
});

describe('SWEEP_PAGES_PER_TICK', () => {
  it('caps the pages one tick sweeps, to bound its CPU time', async () => {
    const rig = pollerRig({ proxyCount: 1_000, pageSize: 25 }, { SWEEP_PAGES_PER_TICK: '10' });
    const { tick } = await runTick({ env: rig.env, scheduledTime: START_MS, nowMs: START_MS });
    if (tick.status !== 'done') throw new Error(tick.status);
    expect(tick.sweepPages).toBe(10);
    expect(tick.snapshot.sweep_progress).toMatchObject({ pages_done: 10, pages_total: 40, next_page: 11 });
  });
});

/** The stored sweep's tracked addresses and countries, as the current release packs them. */
function trackedPairs(sweep: SweepAccumulator): [string, string | null][] {
  const countries = unpack(sweep.tracked_countries);
  return unpack(sweep.tracked_addresses).map((a, i) => [a, countries[i] === '-' ? null : countries[i]!]);
}

/** The state as older releases stored it: address → value objects, then parallel arrays. */
const OLDER_SHAPES = {
  'address → value objects': (sweep: SweepAccumulator, streaks: Record<string, number>) => {
    const { tracked: _t, tracked_addresses: _a, tracked_countries: _c, ...rest } = sweep;
    return {
      sweep: { ...rest, invalid_seen: Object.fromEntries(trackedPairs(sweep)) },
      invalid_streaks: streaks,
    };
  },
  'parallel arrays': (sweep: SweepAccumulator, streaks: Record<string, number>) => {
    const { tracked: _t, tracked_addresses: _a, tracked_countries: _c, ...rest } = sweep;
    const pairs = trackedPairs(sweep);
    return {
      sweep: {
        ...rest,
        invalid_addresses: pairs.map(([a]) => a),
        invalid_countries: pairs.map(([, c]) => c),
      },
      invalid_streaks: { addresses: Object.keys(streaks), counts: Object.values(streaks) },
    };
  },
};

describe('the stored sweep', () => {
  it('keeps the tracked addresses and the streaks as one string each, not arrays of thousands', async () => {
    const rig = pollerRig({ proxyCount: 1_000, pageSize: 25 }, { SWEEP_PAGES_PER_TICK: '20' });
    const invalid = rig.sim.control.invalidate(30);
    await rig.tick(START_MS);
    const first = (await rig.env.STATE.get(bucketKey(START_MS), 'json')) as HistoryBucket;
    expect(first.state.sweep).toMatchObject({ tracked: expect.any(Number) });
    expect(typeof first.state.sweep!.tracked_addresses).toBe('string');
    expect(first.state.sweep!.tracked).toBe(unpack(first.state.sweep!.tracked_addresses).length);

    const nowMs = START_MS + FIVE_MINUTES_MS;
    rig.clock.now = nowMs;
    await rig.tick(nowMs);
    const second = (await rig.env.STATE.get(bucketKey(nowMs), 'json')) as HistoryBucket;
    expect(second.state.sweep).toBeNull();
    const streaks = second.state.invalid_streaks;
    expect(streaks.size).toBe(30);
    expect(unpack(streaks.addresses).sort()).toEqual([...invalid].sort());
    expect(unpack(streaks.counts)).toEqual(Array.from({ length: 30 }, () => '1'));
  });
});

describe.each(Object.entries(OLDER_SHAPES))('a state stored with %s', (_shape, olderShape) => {
  it('resumes its sweep cursor and its streaks', async () => {
    const rig = pollerRig({ proxyCount: 1_000, pageSize: 25 }, { SWEEP_PAGES_PER_TICK: '20' });
    const invalid = rig.sim.control.invalidate(30);
    await rig.tick(START_MS);
    const key = bucketKey(START_MS);
    const stored = (await rig.env.STATE.get(key, 'json')) as HistoryBucket;
    const sweep = stored.state.sweep!;
    expect(sweep).toMatchObject({ next_page: 21, pages_done: 20 });
    expect(sweep.tracked).toBeGreaterThan(0);
    // Rewrite it as an older release stored it.
    const streaks = { [invalid[0]!]: 4, [invalid[1]!]: 1, 'no.longer.invalid': 7 };
    const legacy = { ...stored, state: { ...stored.state, ...olderShape(sweep, streaks) } };
    await rig.env.STATE.put(key, JSON.stringify(legacy));

    const nowMs = START_MS + FIVE_MINUTES_MS;
    rig.clock.now = nowMs;
    const { tick } = await runTick({ env: rig.env, scheduledTime: nowMs, nowMs });
    if (tick.status !== 'done') throw new Error(tick.status);
    expect(tick.sweepPages).toBe(20);
    expect(tick.snapshot.sweep).toMatchObject({ total: 1_000, invalid: 30, ticks: 2 });
    const proxies = tick.snapshot.sweep!.invalid_proxies;
    expect(proxies).toHaveLength(30);
    expect(proxies[0]).toMatchObject({ proxy_address: invalid[0], consecutive_sweeps: 5 });
    expect(proxies[1]).toMatchObject({ proxy_address: invalid[1], consecutive_sweeps: 2 });
    expect(proxies.filter((p) => p.consecutive_sweeps === 1)).toHaveLength(28);
    expect(proxies.map((p) => p.proxy_address)).not.toContain('no.longer.invalid');
    // The countries carried over from the older shape as well as the addresses.
    const table = rig.sim.state.proxies;
    for (const p of proxies)
      expect(p.country_code).toBe(table.countryCode(table.indexOfAddress(p.proxy_address)!));
  });
});
