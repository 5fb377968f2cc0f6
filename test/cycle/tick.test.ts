import { describe, expect, it } from 'vitest';
import { ALERT_SUMMARY_KV_READS } from '../../src/alerts/summary';
import { runTick } from '../../src/cycle/tick';
import { FIVE_MINUTES_MS, START_MS, pollerRig } from '../poller/helpers';
import { WIRE, WIRE_PATHS } from '../helpers/wire';

describe('the scheduled tick', () => {
  it('records stats, quotas, subscription, sub-users and a complete sweep of a small account in one tick', async () => {
    const rig = pollerRig({ proxyCount: 100 });
    rig.sim.control.invalidate(['203.0.113.1', '203.0.113.2'].filter(() => false));
    const invalid = rig.sim.control.invalidate(7);
    await rig.tick();

    const { state } = await rig.store().readState(START_MS);
    const snapshot = state.latest!;
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.stats?.bandwidth_limit).toBeGreaterThan(0);
    expect(snapshot.quotas?.proxy_replacements_available).toBeTypeOf('number');
    expect(snapshot.subscription?.end_date).toBeTruthy();
    expect(snapshot.subusers).toEqual([]);
    expect(snapshot.sweep).toMatchObject({ total: 100, invalid: 7, invalid_ratio: 0.07, ticks: 1 });
    expect(snapshot.sweep!.invalid_proxies.map((p) => p.proxy_address).sort()).toEqual([...invalid].sort());
    expect(snapshot.sweep!.invalid_proxies.every((p) => p.consecutive_sweeps === 1)).toBe(true);
    expect(Object.values(snapshot.sweep!.by_country).reduce((sum, c) => sum + c.total, 0)).toBe(100);
  });

  it('makes exactly one KV write per steady-state cycle and a constant handful of reads', async () => {
    const rig = pollerRig({ proxyCount: 100 });
    for (let i = 0; i < 4; i++) {
      const nowMs = START_MS + i * FIVE_MINUTES_MS;
      rig.clock.now = nowMs;
      const { tick, alerting } = await runTick({ env: rig.env, scheduledTime: nowMs, nowMs });
      expect(tick.status).toBe('done');
      expect(tick.kvWrites).toBe(1);
      // The very first tick looks back for an older state (it finds none) once; then 1–2 reads for
      // the state, and 2 for the alert summary the state carries for /metrics.
      if (i > 0) expect(tick.kvReads).toBeLessThanOrEqual(2 + ALERT_SUMMARY_KV_READS);
      // No incident, so the alert engine (which runs in the same cycle) writes nothing.
      expect(alerting).toMatchObject({ kvWrites: 0, firing: [] });
      expect(alerting!.kvReads).toBeLessThanOrEqual(3);
    }
  });

  it('records a failed source as data and keeps the others', async () => {
    const rig = pollerRig();
    rig.sim.control.inject({ path: WIRE.stats, status: 500 });
    await rig.tick();
    const snapshot = (await rig.store().readState(START_MS)).state.latest!;
    expect(snapshot.stats).toBeNull();
    expect(snapshot.quotas).not.toBeNull();
    expect(snapshot.sweep?.total).toBe(100);
    expect(snapshot.errors).toEqual([
      expect.objectContaining({ source: 'stats', kind: 'WebshareServerError', status: 500 }),
    ]);
    expect(JSON.stringify(snapshot)).not.toContain('test-api-key-9f8e7d6c');
  });

  it('does nothing for a duplicated scheduledTime', async () => {
    const rig = pollerRig();
    await rig.tick(START_MS);
    const calls = rig.sim.requests.length;
    await rig.tick(START_MS);
    expect(rig.sim.requests.length).toBe(calls);
    const history = await rig.store().readHistory({ sinceMs: 0, untilMs: START_MS + 1, limit: 10 });
    expect(history).toHaveLength(1);
  });

  it('grows the history by one snapshot per tick, newest first', async () => {
    const rig = pollerRig();
    const times = [0, 1, 2, 3].map((i) => START_MS + i * FIVE_MINUTES_MS);
    for (const time of times) {
      rig.sim.control.advance(300);
      await rig.tick(time);
    }
    const history = await rig.store().readHistory({ sinceMs: 0, untilMs: times[3]!, limit: 10 });
    expect(history.map((s) => s.scheduled_time)).toEqual([...times].reverse());
    expect(history[0]!.stats!.bandwidth_used).toBeGreaterThanOrEqual(history[3]!.stats!.bandwidth_used);
  });

  it('counts consecutive sweeps a proxy stays invalid', async () => {
    const rig = pollerRig({ proxyCount: 50 });
    const [stuck, flaky] = rig.sim.control.invalidate(2);
    await rig.tick(START_MS);
    rig.sim.control.recover([flaky!]);
    await rig.tick(START_MS + FIVE_MINUTES_MS);
    await rig.tick(START_MS + 2 * FIVE_MINUTES_MS);
    const sweep = (await rig.store().readState(START_MS + 2 * FIVE_MINUTES_MS)).state.latest!.sweep!;
    expect(sweep.invalid_proxies).toEqual([
      expect.objectContaining({ proxy_address: stuck, consecutive_sweeps: 3 }),
    ]);
  });

  it('refetches the subscription only hourly', async () => {
    // On v1 the subscription is read for itself only; v2 reads it every tick for the quotas as well.
    const rig = pollerRig({}, { WEBSHARE_API_VERSION: 'v1' });
    for (let i = 0; i < 13; i++) await rig.tick(START_MS + i * FIVE_MINUTES_MS);
    const subscriptionCalls = rig.sim.requests.filter((r) => r.path === WIRE_PATHS.v1.subscription).length;
    expect(subscriptionCalls).toBe(2);
  });
});

describe('a cron that was paused', () => {
  it('resumes the sweep and the streaks where they stopped, however many hours later', async () => {
    const rig = pollerRig({ proxyCount: 50 });
    const [stuck] = rig.sim.control.invalidate(1);
    await rig.tick(START_MS);
    const sixHoursLater = START_MS + 6 * 3_600_000;
    rig.clock.now = sixHoursLater;
    const { tick } = await runTick({ env: rig.env, scheduledTime: sixHoursLater, nowMs: sixHoursLater });
    if (tick.status !== 'done') throw new Error(tick.status);
    expect(tick.previous?.scheduled_time).toBe(START_MS);
    expect(tick.snapshot.sweep!.invalid_proxies).toEqual([
      expect.objectContaining({ proxy_address: stuck, consecutive_sweeps: 2 }),
    ]);
    // One read for this hour, then one per hour back to the last bucket: paid once, not every tick
    // (plus the alert summary's reads, as in every tick).
    expect(tick.kvReads).toBe(7 + ALERT_SUMMARY_KV_READS);
  });
});
