import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { runTick } from '../../src/cycle/tick';
import { nextUtcTimeOfDay } from '../helpers/clock';
import { FIVE_MINUTES_MS, SLOW_TEST_TIMEOUT_MS, START_MS } from '../poller/helpers';
import { REFRESH_PATH, REPLACEMENT_PATH, accountFingerprint, remediationRig } from './helpers';
import { WIRE } from '../helpers/wire';

const ON = { enabled: true };

describe('auto-remediation against the simulator', () => {
  it('is off by default: dead proxies stay, nothing is recorded or notified', async () => {
    const rig = remediationRig(undefined);
    rig.sim.control.invalidate(2);
    for (let i = 0; i < 4; i++) await rig.tickAt(i);
    expect(rig.posts(REPLACEMENT_PATH)).toBe(0);
    expect((await rig.latest()).remediation).toBeNull();
    expect(rig.notices()).toEqual([]);
  });

  it('replaces a proxy once it has been invalid for 3 consecutive sweeps, and says so', async () => {
    const rig = remediationRig(ON);
    const [dead] = rig.sim.control.invalidate(1);
    await rig.tickAt(0);
    await rig.tickAt(1);
    expect(rig.posts(REPLACEMENT_PATH)).toBe(0);
    await rig.tickAt(2);

    expect(rig.sim.state.replacements).toHaveLength(1);
    const replacement = rig.sim.state.replacements[0]!;
    expect(replacement.ip_address).toBe(`${dead}/32`);
    expect(rig.sim.state.proxies.indexOfAddress(dead!)).toBeUndefined();

    const snapshot = await rig.latest();
    expect(snapshot.remediation).toMatchObject({
      mode: 'live',
      replaced_today: 1,
      entries: [
        {
          action: 'replace',
          target: dead,
          outcome: 'replaced',
          new_address: replacement.new_ip_address,
          left: 9,
        },
      ],
    });
    expect(snapshot.quotas?.proxy_replacements_available).toBe(9);
    expect(rig.notices()).toEqual([
      expect.stringContaining(`replaced ${dead} → ${replacement.new_ip_address}`),
    ]);
    expect(rig.notices()[0]).toContain('9 replacements left');
  });

  it('stores its action and state in the tick’s one KV write and hands the notice to the cycle', async () => {
    const rig = remediationRig(ON);
    const [dead] = rig.sim.control.invalidate(1);
    for (let i = 0; i < 3; i++) {
      const at = START_MS + i * FIVE_MINUTES_MS;
      rig.clock.now = at;
      const { tick } = await runTick({ env: rig.env, scheduledTime: at, nowMs: at });
      if (tick.status !== 'done') throw new Error(`tick ${i} was ${tick.status}`);
      expect(tick.kvWrites).toBe(1);
      expect(tick.notices.map((n) => n.title)).toEqual(
        i < 2 ? [] : [expect.stringContaining(`replaced ${dead} →`)],
      );
    }
    expect((await rig.state()).remediation?.recent.map((r) => r.address)).toEqual([dead]);
    expect(rig.notices()).toHaveLength(1);
  });

  it('dry run: reports what it would do, once a day, and changes nothing', async () => {
    const rig = remediationRig({ enabled: true, dry_run: true, refresh_enabled: true });
    const dead = rig.sim.control.invalidate(2);
    const before = accountFingerprint(rig);
    for (let i = 0; i < 5; i++) await rig.tickAt(i);

    expect(rig.sim.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect(accountFingerprint(rig)).toBe(before);
    const snapshot = await rig.latest();
    expect(snapshot.remediation?.mode).toBe('dry_run');
    expect(snapshot.remediation?.entries.map((e) => [e.target, e.outcome]).sort()).toEqual(
      dead.map((address) => [address, 'would_replace']).sort(),
    );
    expect(snapshot.quotas?.proxy_replacements_available).toBe(10);
    const state = await rig.state();
    expect(state.remediation).toMatchObject({ replaced_today: 0, recent: [], pending: [] });
    // Ticks 2, 3 and 4 all would replace both: one message for both, not one per proxy per tick.
    expect(rig.notices()).toEqual([expect.stringContaining('dry run, would replace 2 proxies')]);
  });

  it('never dips below the reserve of replacements', async () => {
    const rig = remediationRig({ enabled: true, keep_replacements: 2 });
    rig.sim.control.setQuotas({ replacementsAvailable: 4 });
    rig.sim.control.invalidate(5);
    for (let i = 0; i < 6; i++) await rig.tickAt(i);

    expect(rig.sim.state.replacements).toHaveLength(2);
    expect(rig.posts(REPLACEMENT_PATH)).toBe(2);
    const snapshot = await rig.latest();
    expect(snapshot.quotas?.proxy_replacements_available).toBe(2);
    expect(snapshot.remediation?.entries.map((e) => e.reason)).toEqual(['reserve', 'reserve', 'reserve']);
    const refusals = rig.notices().filter((text) => text.includes('replacement reserve reached'));
    expect(refusals).toHaveLength(1); // told once a day, not every tick
    expect(refusals[0]).toContain('not replacing 3 proxies');
  });

  it('respects the daily cap, and replaces more the next UTC day', async () => {
    const rig = remediationRig({ enabled: true, max_replacements_per_day: 2 });
    rig.sim.control.invalidate(5);
    const midnight = nextUtcTimeOfDay(0);
    const beforeMidnight = midnight - 25 * 60_000;
    for (let i = 0; i < 5; i++) await rig.tick(beforeMidnight + i * FIVE_MINUTES_MS);
    expect(rig.sim.state.replacements).toHaveLength(2);
    expect((await rig.latest()).remediation).toMatchObject({ replaced_today: 2, max_per_day: 2 });
    expect((await rig.latest()).remediation?.entries.map((e) => e.reason)).toEqual([
      'daily_cap',
      'daily_cap',
      'daily_cap',
    ]);
    expect(rig.notices().filter((text) => text.includes('daily replacement cap reached'))).toHaveLength(1);

    await rig.tick(midnight);
    expect(rig.sim.state.replacements).toHaveLength(4);
    const day = new Date(midnight).toISOString().slice(0, 10);
    expect((await rig.state()).remediation).toMatchObject({ day, replaced_today: 2 });
  });

  it('replaces once across a duplicated tick and a later tick that reuses the same sweep', async () => {
    const rig = remediationRig(ON);
    rig.sim.control.invalidate(1);
    for (let i = 0; i < 3; i++) await rig.tickAt(i);
    expect(rig.posts(REPLACEMENT_PATH)).toBe(1);

    await rig.tickAt(2); // the same scheduledTime again
    expect(rig.posts(REPLACEMENT_PATH)).toBe(1);

    // The next tick cannot read the list: its snapshot carries the old sweep, which still names the proxy.
    rig.sim.control.inject({ path: WIRE.proxyList, status: 500 });
    await rig.tickAt(3);
    const snapshot = await rig.latest();
    expect(snapshot.sweep?.invalid).toBe(1);
    expect(snapshot.remediation).toBeNull();
    expect(rig.posts(REPLACEMENT_PATH)).toBe(1);
    expect(rig.sim.state.replacements).toHaveLength(1);
  });

  /** Two sweeps in, then two cycles at once that both start from the state of tick 1. */
  async function overlappingThirdSweep(rig: ReturnType<typeof remediationRig>) {
    const [dead] = rig.sim.control.invalidate(1);
    for (let i = 0; i < 2; i++) await rig.tickAt(i);
    const at = (i: number) => START_MS + i * FIVE_MINUTES_MS;
    rig.clock.now = at(3);
    const cycles = await Promise.all([
      runTick({ env: rig.env, scheduledTime: at(2), nowMs: at(2) }),
      runTick({ env: rig.env, scheduledTime: at(3), nowMs: at(3) }),
    ]);
    return { dead: dead!, cycles };
  }

  it('two overlapping invocations replace the proxy once: the poll lock turns the second away', async () => {
    const rig = remediationRig(ON);
    const { dead, cycles } = await overlappingThirdSweep(rig);
    expect(cycles.map((c) => c.tick.status).sort()).toEqual(['busy', 'done']);
    expect(rig.sim.state.replacements).toHaveLength(1);
    expect(rig.sim.state.proxies.indexOfAddress(dead)).toBeUndefined();
  });

  it('without the lock (binding missing or down), overlapping invocations still replace once', async () => {
    const rig = remediationRig(ON, {}, { POLL_LOCK: undefined });
    const { dead, cycles } = await overlappingThirdSweep(rig);
    expect(rig.sim.state.replacements).toHaveLength(1);
    const outcomes = cycles.flatMap((c) =>
      c.tick.status === 'done' ? (c.tick.snapshot.remediation?.entries ?? []).map((e) => e.outcome) : [],
    );
    // One sent it. The other, if it ran the third pass at the same time, found it gone from the list
    // (already_replaced); on a loaded machine it may start after the first has finished and see no
    // dead proxy at all. Either way nothing is sent twice.
    expect(outcomes.filter((o) => o === 'replaced')).toEqual(['replaced']);
    expect(outcomes.every((o) => o === 'replaced' || o === 'already_replaced')).toBe(true);
    expect(rig.sim.state.proxies.indexOfAddress(dead)).toBeUndefined();
  });

  it('reports a failed replacement and retries it on the next tick, which succeeds', async () => {
    const rig = remediationRig(ON);
    const [dead] = rig.sim.control.invalidate(1);
    await rig.tickAt(0);
    await rig.tickAt(1);
    rig.sim.control.inject({ path: REPLACEMENT_PATH, method: 'POST', status: 503, times: 1 });
    await rig.tickAt(2);

    expect(rig.sim.state.replacements).toHaveLength(0);
    expect((await rig.latest()).remediation?.entries).toEqual([
      expect.objectContaining({ target: dead, outcome: 'failed', attempt: 1 }),
    ]);
    expect((await rig.state()).remediation?.pending).toEqual([
      expect.objectContaining({ address: dead, attempts: 1, last_error: 'WebshareUnavailableError (503)' }),
    ]);
    expect(rig.notices()).toEqual([expect.stringContaining(`replacing ${dead} failed`)]);

    await rig.tickAt(3);
    expect(rig.sim.state.replacements).toHaveLength(1);
    expect((await rig.latest()).remediation?.entries).toEqual([
      expect.objectContaining({ target: dead, outcome: 'replaced', attempt: 2 }),
    ]);
    expect((await rig.state()).remediation?.pending).toEqual([]);
    expect(rig.notices()).toHaveLength(2);
    expect(rig.notices()[1]).toContain(`replaced ${dead} →`);
  });

  it('counts a retry as done when the failed attempt had gone through after all', async () => {
    const rig = remediationRig(ON);
    const [dead] = rig.sim.control.invalidate(1);
    await rig.tickAt(0);
    await rig.tickAt(1);
    rig.sim.control.inject({ path: REPLACEMENT_PATH, method: 'POST', status: 500, times: 1 });
    await rig.tickAt(2);
    // The answer was lost but the replacement happened (here: done out of band before the retry).
    await rig.sim.fetch(
      new Request(`https://webshare.sim${REPLACEMENT_PATH}`, {
        method: 'POST',
        headers: { Authorization: 'Token test-api-key-9f8e7d6c', 'Content-Type': 'application/json' },
        body: JSON.stringify({ ip_address: `${dead}/32` }),
      }),
    );
    // A list failure keeps this tick on pending work only, so the retry meets Webshare's "no match".
    rig.sim.control.inject({ path: WIRE.proxyList, status: 500 });
    await rig.tickAt(3);

    expect(rig.sim.state.replacements).toHaveLength(1);
    expect((await rig.latest()).remediation?.entries).toEqual([
      expect.objectContaining({ target: dead, outcome: 'already_replaced' }),
    ]);
    const state = (await rig.state()).remediation!;
    expect(state.pending).toEqual([]);
    expect(state.recent.map((r) => r.address)).toEqual([dead]);
    expect(state.replaced_today).toBe(1);
  });

  it('refreshes the whole list once per incident when most of it is dead', async () => {
    const rig = remediationRig({ enabled: true, refresh_enabled: true }, { proxyCount: 20 });
    rig.sim.control.invalidate(12); // 60 %
    for (let i = 0; i < 3; i++) await rig.tickAt(i);

    expect(rig.posts(REFRESH_PATH)).toBe(1);
    expect(rig.posts(REPLACEMENT_PATH)).toBe(0); // refreshed instead of replacing 12 one by one
    let snapshot = await rig.latest();
    expect(snapshot.remediation?.entries).toEqual([
      expect.objectContaining({ action: 'refresh', outcome: 'refreshed', left: 2 }),
    ]);
    expect(snapshot.quotas?.ondemand_refreshes_available).toBe(2);
    expect(rig.notices()).toEqual([expect.stringContaining('refreshed the whole proxy list')]);

    // Still 60 % dead on the new list: the same incident, so no second refresh.
    rig.sim.control.invalidate(12);
    for (let i = 3; i < 6; i++) await rig.tickAt(i);
    expect(rig.posts(REFRESH_PATH)).toBe(1);
    snapshot = await rig.latest();
    expect(snapshot.remediation?.entries.find((e) => e.action === 'refresh')).toMatchObject({
      outcome: 'skipped',
      reason: 'refreshed_this_incident',
    });
    expect(rig.notices().filter((t) => t.includes('already refreshed in this incident'))).toHaveLength(1);

    // Recovered, then a new incident: it may refresh again.
    rig.sim.control.recover('all');
    await rig.tickAt(6);
    expect((await rig.state()).remediation?.incident).toBeNull();
    rig.sim.control.invalidate(12);
    for (let i = 7; i < 10; i++) await rig.tickAt(i);
    expect(rig.posts(REFRESH_PATH)).toBe(2);
  });

  it(
    'stays within the tick subrequest budget, carrying the rest to the next ticks',
    async () => {
      const limit = 14;
      // Remediation's own arithmetic, without the rate gate's round trips (test/cycle/rate-gate.test.ts
      // covers the gate inside a tick's budget).
      const rig = remediationRig(ON, {}, { SUBREQUEST_BUDGET: String(limit), RATE_GATE: undefined });
      const dead = rig.sim.control.invalidate(6);
      const perTick: number[] = [];
      for (let i = 0; i < 6; i++) {
        const sent = rig.sim.requests.length + rig.slack.requests.length;
        await rig.tickAt(i);
        perTick.push(rig.sim.requests.length + rig.slack.requests.length - sent);
      }
      expect(Math.max(...perTick)).toBeLessThanOrEqual(limit);
      const replaced = rig.sim.state.replacements.map((r) => r.ip_address.replace('/32', ''));
      expect(replaced.sort()).toEqual([...dead].sort());
      // Tick 2 could not fit all six: the rest waited as pending (deferred, not failed) and went next.
      const history = await rig.store().readHistory({ sinceMs: 0, untilMs: rig.clock.now, limit: 10 });
      const tick2 = history.find((s) => s.scheduled_time === START_MS + 2 * FIVE_MINUTES_MS)!;
      const outcomes = tick2.remediation!.entries.map((e) => e.reason ?? e.outcome);
      expect(outcomes).toContain('replaced');
      expect(outcomes).toContain('budget');
      expect(outcomes).not.toContain('failed');
      expect((await rig.state()).remediation?.pending).toEqual([]);
    },
    SLOW_TEST_TIMEOUT_MS,
  );

  it('shows what it did in /v1/status', async () => {
    const rig = remediationRig(ON);
    const [dead] = rig.sim.control.invalidate(1);
    const base = Date.now() - 20 * 60_000;
    for (let i = 0; i < 3; i++) await rig.tick(base + i * FIVE_MINUTES_MS);
    const response = await createApp().request(
      'https://worker.test/v1/status',
      { headers: { Authorization: 'Bearer test-admin-token-0123456789' } },
      { ...(env as object), ...rig.env },
      createExecutionContext(),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, any>;
    expect(body.remediation).toMatchObject({
      last_tick: { mode: 'live', entries: [{ target: dead, outcome: 'replaced' }] },
      replaced_today: 1,
      pending: [],
      recent: [{ address: dead }],
    });
  });
});
