import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { runTick } from '../../src/cycle/tick';
import type { Env } from '../../src/env';
import type { Snapshot } from '../../src/model/snapshot';
import { DAY_ROLLUPS_KEPT, dailyPoints, rollTick } from '../../src/poller/rollup';
import { countingKv } from '../alerts/harness';
import { snapshot as buildSnapshot } from '../alerts/snapshot-builder';
import { pollerRig } from './helpers';
import { nextUtcTimeOfDay } from '../helpers/clock';

const GIB = 1024 ** 3;

function at(iso: string, usedGb: number, invalid = 0): Snapshot {
  const base = buildSnapshot({ percent: 0 });
  return {
    ...base,
    taken_at: iso,
    scheduled_time: Date.parse(iso),
    stats: { ...base.stats!, bandwidth_used: usedGb * GIB, bandwidth_limit: 50 * GIB },
    sweep: base.sweep && { ...base.sweep, invalid, total: 100 },
  };
}

describe('the rollups', () => {
  it('keeps one point per hour of the day, with the hour’s last figures', () => {
    let rollups = rollTick(undefined, at('2026-12-01T10:00:00Z', 1));
    rollups = rollTick(rollups, at('2026-12-01T10:55:00Z', 2, 4));
    rollups = rollTick(rollups, at('2026-12-01T11:00:00Z', 3, 1));
    expect(rollups.day).toBe('2026-12-01');
    expect(
      rollups.hours.map((h) => [h.start.slice(11, 13), h.ticks, h.bandwidth_used! / GIB, h.invalid_max]),
    ).toEqual([
      ['10', 2, 2, 4],
      ['11', 1, 3, 1],
    ]);
    expect(rollups.days).toEqual([]);
  });

  it('folds the finished day into one day point at the first tick of a new UTC day', () => {
    let rollups = rollTick(undefined, at('2026-12-01T22:00:00Z', 5, 9));
    rollups = rollTick(rollups, at('2026-12-01T23:55:00Z', 6, 2), ['bandwidth']);
    rollups = rollTick(rollups, at('2026-12-02T00:00:00Z', 7, 2));
    expect(rollups.day).toBe('2026-12-02');
    expect(rollups.hours).toHaveLength(1);
    expect(rollups.days).toEqual([
      expect.objectContaining({
        start: '2026-12-01T00:00:00.000Z',
        ticks: 2,
        bandwidth_used: 6 * GIB,
        invalid: 2,
        invalid_max: 9,
        alerts: ['bandwidth'],
      }),
    ]);
    expect(dailyPoints(rollups).map((d) => d.start.slice(0, 10))).toEqual(['2026-12-01', '2026-12-02']);
  });

  it('ignores a late tick from a day already closed', () => {
    const today = rollTick(rollTick(undefined, at('2026-12-01T23:00:00Z', 5)), at('2026-12-02T00:05:00Z', 6));
    expect(rollTick(today, at('2026-12-01T23:59:00Z', 9))).toBe(today);
  });

  it(`keeps at most ${DAY_ROLLUPS_KEPT} finished days`, () => {
    let rollups = rollTick(undefined, at('2026-01-01T12:00:00Z', 1));
    for (let day = 1; day <= 60; day++) {
      rollups = rollTick(
        rollups,
        at(new Date(Date.parse('2026-01-01T12:00:00Z') + day * 86_400_000).toISOString(), 1),
      );
    }
    expect(rollups.days).toHaveLength(DAY_ROLLUPS_KEPT);
    expect(rollups.days.at(-1)!.start.slice(0, 10)).toBe('2026-03-01');
  });
});

describe('rollups within the tick budget', () => {
  it('still makes exactly one KV write per tick, the day-closing tick included', async () => {
    const rig = pollerRig({ proxyCount: 100 });
    const counted = countingKv((env as unknown as Env).STATE);
    const testEnv = { ...rig.env, STATE: counted.kv };
    const midnight = nextUtcTimeOfDay(0);
    const times = [-10, -5, 0, 5].map((minutes) => midnight + minutes * 60_000);
    for (const ms of times) {
      rig.clock.now = ms;
      const writesBefore = counted.writes();
      const { tick, alerting } = await runTick({ env: testEnv, scheduledTime: ms, nowMs: ms });
      expect(tick.status).toBe('done');
      expect(tick.kvWrites).toBe(1);
      expect(alerting?.kvWrites).toBe(0);
      expect(counted.writes() - writesBefore).toBe(1);
    }
    const { state } = await rig.store().readState(times[3]!);
    const dayBefore = new Date(midnight - 1).toISOString().slice(0, 10);
    expect(state.rollups!.days.map((d) => [d.start.slice(0, 10), d.ticks])).toEqual([[dayBefore, 2]]);
    expect(state.rollups!.hours.map((h) => h.ticks)).toEqual([2]);
  });
});
