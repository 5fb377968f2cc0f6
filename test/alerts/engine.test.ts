import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { runAlerting } from '../../src/alerts/engine';
import { notifyAll, notifyMany } from '../../src/alerts/one-off';
import { readAlertsOverview } from '../../src/alerts/overview';
import { addSilence } from '../../src/alerts/silences';
import { SubrequestBudget } from '../../src/lib/budget';
import { createLogger } from '../../src/lib/log';
import { HOOK_SECRET, notification } from '../notifiers/fixtures';
import { countingKv, Harness, STATE } from './harness';
import { snapshot, T0, TICK_MS } from './snapshot-builder';

describe('a whole bandwidth incident: 10 % → 85 % → 85 % → 95 % → 30 %', () => {
  it('sends exactly one 80 % message, one 90 % escalation and one resolved, per channel', async () => {
    const h = new Harness();
    const reports = [];
    for (const percent of [10, 85, 85, 95, 30]) reports.push(await h.next({ percent }));

    expect(h.slackHeadlines()).toEqual([
      '🟠 WARNING: Bandwidth at 85% of 50 GB',
      '🟠 ESCALATED WARNING: Bandwidth at 95% of 50 GB',
      '✅ RESOLVED: Bandwidth at 95% of 50 GB',
    ]);
    expect(h.discordTitles()).toEqual([
      '🟠 WARNING: Bandwidth at 85% of 50 GB',
      '🟠 ESCALATED WARNING: Bandwidth at 95% of 50 GB',
      '✅ RESOLVED: Bandwidth at 95% of 50 GB',
    ]);
    expect(h.hookTypes()).toEqual([
      'alert.firing/alert.firing',
      'alert.firing/alert.escalated',
      'alert.resolved/alert.resolved',
    ]);
    expect(reports.map((r) => r.firing)).toEqual([[], ['bandwidth'], ['bandwidth'], ['bandwidth'], []]);
    expect(reports.map((r) => r.notified)).toEqual([0, 3, 0, 3, 3]);

    // The texts say what happened.
    expect(h.slack.json<{ text: string }>(0).text).toContain('past the 80% threshold');
    expect(h.slack.json<{ text: string }>(1).text).toContain('past the 90% threshold');
    expect(h.slack.json<{ text: string }>(2).text).toContain('Bandwidth is back to 30% of 50 GB.');

    // Each webhook delivery verifies with the standardwebhooks library and has its own stable id.
    const ids = h.hook.requests.map((r) => {
      new Webhook(HOOK_SECRET).verify(r.body, r.headers);
      return r.headers['webhook-id'];
    });
    expect(new Set(ids).size).toBe(3);
    expect(ids.every((id) => /^msg_[0-9a-f]{32}$/.test(id ?? ''))).toBe(true);
  });

  it('a jump straight to 100 % is one critical message, not three', async () => {
    const h = new Harness();
    await h.next({ percent: 10 });
    await h.next({ percent: 100 });
    await h.next({ percent: 100 });
    expect(h.slackHeadlines()).toEqual(['🔴 CRITICAL: Bandwidth at 100% of 50 GB']);
  });

  it('costs zero KV writes and three reads in steady state, and writes only on change', async () => {
    const h = new Harness();
    const quiet = [await h.next({ percent: 10 }), await h.next({ percent: 12 })];
    expect(quiet.map((r) => [r.kvReads, r.kvWrites])).toEqual([
      [3, 0],
      [3, 0],
    ]);
    expect((await h.next({ percent: 85 })).kvWrites).toBe(1);
    const firing = [
      await h.next({ percent: 86 }),
      await h.next({ percent: 87 }),
      await h.next({ percent: 85 }),
    ];
    expect(firing.map((r) => [r.kvReads, r.kvWrites])).toEqual([
      [3, 0],
      [3, 0],
      [3, 0],
    ]);
  });

  it('keeps a flapping metric quiet (hysteresis)', async () => {
    const h = new Harness();
    for (const percent of [78, 81, 79, 82, 77, 80, 76, 81, 79]) await h.next({ percent });
    expect(h.slackHeadlines()).toEqual(['🟠 WARNING: Bandwidth at 81% of 50 GB']);
    expect(h.discord.requests).toHaveLength(1);
    expect(h.hook.requests).toHaveLength(1);
  });

  it('reminds every 4 hours while firing', async () => {
    const h = new Harness();
    await h.next({ percent: 85 });
    for (let i = 0; i < 48; i++) await h.next({ percent: 85 }); // 4 h of 5-minute ticks
    expect(h.slackHeadlines()).toEqual([
      '🟠 WARNING: Bandwidth at 85% of 50 GB',
      '🟠 STILL FIRING WARNING: Bandwidth at 85% of 50 GB',
    ]);
  });
});

describe('delivery across ticks', () => {
  it('a sink failing three times then recovering delivers once', async () => {
    const h = new Harness();
    h.slack.respondWith(500, 500, 500);
    const first = await h.next({ percent: 85 });
    expect(first).toMatchObject({ notified: 2, failed: 1, queued: 1 });
    expect(h.discord.requests).toHaveLength(1); // the failing channel never held Discord back

    const second = await h.next({ percent: 85 });
    expect(second).toMatchObject({ notified: 1, failed: 0, queued: 0 });
    for (let i = 0; i < 3; i++) await h.next({ percent: 85 });

    expect(h.slack.requests).toHaveLength(4); // three 500s, one success
    const bodies = h.slack.requests.map((r) => r.body);
    expect(new Set(bodies).size).toBe(1); // the same message each time
    expect(h.discord.requests).toHaveLength(1);
    expect(h.hook.requests).toHaveLength(1);

    const overview = await readAlertsOverview(STATE, T0 + 10 * TICK_MS);
    expect(overview.recent.filter((r) => r.channel === 'slack').map((r) => r.outcome)).toEqual([
      'delivered',
      'queued',
    ]);
  });

  it('keeps the order of a channel: resolved never overtakes a firing still in the outbox', async () => {
    const h = new Harness();
    h.slack.respondWith(500, 500, 500, 500, 500, 500);
    await h.next({ percent: 85 }); // firing fails 3×
    await h.next({ percent: 30 }); // the firing retry fails 3× again; resolved waits behind it
    expect(h.slack.requests).toHaveLength(6);
    const waiting = await h.next({ percent: 30 }); // backing off: the retry is due on the tick after
    expect(waiting).toMatchObject({ notified: 0, kvWrites: 0 });
    await h.next({ percent: 30 });
    expect(h.slackHeadlines().slice(-2)).toEqual([
      '🟠 WARNING: Bandwidth at 85% of 50 GB',
      '✅ RESOLVED: Bandwidth at 85% of 50 GB',
    ]);
  });

  it('a channel down for a whole day costs a bounded number of KV writes', async () => {
    const h = new Harness();
    h.slack.respondWith(...Array<number>(2000).fill(503));
    let writes = 0;
    for (let i = 0; i < 288; i++) writes += (await h.next({ percent: 85 })).kvWrites;
    expect(writes).toBeLessThanOrEqual(35);
    expect(h.discord.requests).toHaveLength(6); // the firing message and a reminder every 4 h
  });

  it('records a 404 as undeliverable, surfaces it, and never retries it', async () => {
    const h = new Harness();
    h.discord.respondWith({ status: 404, body: JSON.stringify({ message: 'Unknown Webhook', code: 10015 }) });
    const report = await h.next({ percent: 85 });
    expect(report).toMatchObject({ failed: 1, queued: 0 });
    await h.next({ percent: 85 });
    await h.next({ percent: 85 });
    expect(h.discord.requests).toHaveLength(1);
    const overview = await readAlertsOverview(STATE, T0 + 3 * TICK_MS);
    expect(overview.undeliverable).toEqual([
      expect.objectContaining({
        channel: 'discord',
        status: 404,
        error: 'discord answered 404 (10015 Unknown Webhook)',
      }),
    ]);
    expect(JSON.stringify(overview)).not.toContain('discordsecrettoken456');
  });

  it('gives up on a notification after the outbox TTL', async () => {
    const h = new Harness({ ALERTS: { outbox_ttl_hours: 1 } });
    h.slack.respondWith(...Array<number>(100).fill(503));
    await h.next({ percent: 85 });
    for (let i = 0; i < 12; i++) await h.next({ percent: 85 });
    const report = await h.next({ percent: 85 });
    expect(report.queued).toBe(0);
    const overview = await readAlertsOverview(STATE, T0 + 20 * TICK_MS);
    expect(overview.recent.some((r) => r.channel === 'slack' && r.outcome === 'expired')).toBe(true);
    const attempts = h.slack.requests.length;
    await h.next({ percent: 85 });
    expect(h.slack.requests).toHaveLength(attempts);
  });

  it('spends no more than the tick budget and queues the rest', async () => {
    const h = new Harness();
    h.budgetLimit = 1;
    const report = await h.next({ percent: 85 });
    expect(h.slack.requests.length + h.discord.requests.length + h.hook.requests.length).toBe(1);
    expect(report.queued).toBe(2);
    h.budgetLimit = 50;
    await h.next({ percent: 85 });
    expect([h.slack.requests.length, h.discord.requests.length, h.hook.requests.length]).toEqual([1, 1, 1]);
  });
});

describe('exactly once across repeated and late ticks', () => {
  it('re-running the same snapshot sends nothing more; an older snapshot is not evaluated', async () => {
    const h = new Harness();
    await h.next({ percent: 10 });
    const s85 = (await h.next({ percent: 85 }), h.previous);
    if (!s85) throw new Error('no snapshot');
    const replay = await h.run(s85);
    expect(replay).toMatchObject({ notified: 0, kvWrites: 0 });
    await h.next({ percent: 30 }); // resolved
    const late = await h.run({ ...s85 }); // the 85 % tick arriving again, after the resolve
    expect(late.notified).toBe(0);
    expect(h.slackHeadlines()).toEqual([
      '🟠 WARNING: Bandwidth at 85% of 50 GB',
      '✅ RESOLVED: Bandwidth at 85% of 50 GB',
    ]);
  });
});

describe('what overlapping runs can and cannot do', () => {
  it('two runs at the same time over one snapshot may both send, but with the same webhook-id', async () => {
    // KV has no compare-and-set: this is the documented limit. Receivers dedupe on webhook-id.
    const h = new Harness({ ALERTS: { routing: { warning: ['webhook'] } } });
    await h.next({ percent: 10 });
    const current = snapshot({ tick: 1, percent: 85 });
    const run = () =>
      runAlerting({
        kv: STATE,
        config: h.config,
        log: createLogger({ sink: () => {} }),
        current,
        previous: h.previous,
        history: [],
        budget: new SubrequestBudget(50),
        nowMs: current.scheduled_time,
      });
    await Promise.all([run(), run()]);
    const ids = h.hook.requests.map((r) => r.headers['webhook-id']);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ids).size).toBe(1);
    // And once either has written its state, nothing is sent again.
    await run();
    await h.next({ percent: 85, tick: 2 });
    expect(new Set(h.hook.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
  });
});

describe('routing and silences', () => {
  it('routes severities to the configured channels, and the resolved message follows', async () => {
    const h = new Harness({ ALERTS: { routing: { warning: ['slack'], critical: ['slack', 'discord'] } } });
    await h.next({ percent: 85 });
    await h.next({ percent: 100 });
    await h.next({ percent: 10 });
    expect(h.slack.requests).toHaveLength(3);
    expect(h.discordTitles()).toEqual([
      '🔴 ESCALATED CRITICAL: Bandwidth at 100% of 50 GB',
      '✅ RESOLVED: Bandwidth at 100% of 50 GB',
    ]);
    expect(h.hook.requests).toHaveLength(0);
  });

  it('a silence suppresses firing and resolved messages for the alerts it matches', async () => {
    const h = new Harness();
    await addSilence(
      STATE,
      {
        matcher: { rule: 'bandwidth' },
        starts_at: new Date(T0 - 1).toISOString(),
        ends_at: new Date(T0 + 3 * TICK_MS).toISOString(),
        comment: 'planned load test',
      },
      T0,
    );
    await h.next({ percent: 85 });
    await h.next({ percent: 95 });
    expect(h.slack.requests).toHaveLength(0);
    expect((await readAlertsOverview(STATE, T0 + TICK_MS)).firing).toEqual([
      expect.objectContaining({ key: 'bandwidth', silenced: true }),
    ]);
    await h.next({ percent: 20 }); // resolves while silenced: it was never announced, so nothing
    expect(h.slack.requests).toHaveLength(0);
    await h.next({ percent: 85 }); // silence over: a new incident is announced
    expect(h.slackHeadlines()).toEqual(['🟠 WARNING: Bandwidth at 85% of 50 GB']);
  });
});

describe('other rules through the engine', () => {
  it('announces an invalid-proxy spike once, naming count, ratio and countries', async () => {
    const h = new Harness();
    await h.next({ sweep: { finished_at: 'sweep-1', invalid: 2, invalid_ratio: 0.02 } });
    await h.next({
      sweep: {
        finished_at: 'sweep-2',
        invalid: 9,
        invalid_ratio: 0.09,
        by_country: { US: { total: 60, invalid: 6 }, DE: { total: 40, invalid: 3 } },
      },
    });
    await h.next({ sweep: { finished_at: 'sweep-2', invalid: 9, invalid_ratio: 0.09 } }); // same sweep: holds
    expect(h.slack.requests).toHaveLength(1);
    expect(h.slack.json<{ text: string }>(0).text).toBe(
      '🟠 WARNING: Invalid proxies up by 7 — 9 of 100 proxies invalid (9%), up 7 since the previous sweep; worst countries: US 6/60 (10%), DE 3/40 (7.5%).',
    );
    await h.next({ sweep: { finished_at: 'sweep-3', invalid: 3, invalid_ratio: 0.03 } });
    expect(h.slackHeadlines()[1]).toBe('✅ RESOLVED: Invalid proxies up by 7');
  });

  it('the watcher is watched: Webshare unreachable for 3 ticks in a row is one critical message', async () => {
    const h = new Harness();
    const down = (failedTicks: number) => ({
      stats: null,
      failedTicks,
      errors: [{ source: 'stats' as const, kind: 'WebshareTimeoutError', status: null, message: 'timeout' }],
    });
    await h.next(down(1));
    const waiting = await h.next(down(2));
    expect(waiting.kvWrites).toBe(0); // waiting for the streak costs nothing
    expect(h.slack.requests).toHaveLength(0);
    await h.next(down(3));
    await h.next(down(4));
    expect(h.slackHeadlines()).toEqual(['🔴 CRITICAL: Webshare unreachable']);
    await h.next({});
    expect(h.slackHeadlines()[1]).toBe('✅ RESOLVED: Webshare unreachable');
  });

  it('a sub-user that is deleted resolves its alert', async () => {
    const h = new Harness();
    const user = {
      id: 7,
      label: 'acme',
      proxy_usage: 9.5 * 1024 ** 3,
      proxy_limit_gb: 10,
      usage_percent: 95,
    };
    await h.next({ subusers: [user] });
    await h.next({ subusers: null }); // list not fetched this tick: holds
    await h.next({ subusers: [] });
    expect(h.slackHeadlines()).toEqual([
      '🟠 WARNING: Sub-user acme at 95% of its limit',
      '✅ RESOLVED: Sub-user acme at 95% of its limit',
    ]);
  });
});

describe('notifyAll', () => {
  it('sends a one-off message through the routed channels and queues a failure for the next tick', async () => {
    const h = new Harness();
    h.hook.respondWith(503, 503, 503);
    const results = await notifyAll(
      STATE,
      h.config,
      notification({
        id: 'msg_remediation_1',
        event: 'message',
        severity: 'info',
        title: 'Replaced 3 proxies',
      }),
      new SubrequestBudget(50),
      createLogger({ sink: () => {} }),
      { sleep: async () => {}, nowMs: T0 },
    );
    expect(results.map((r) => [r.channel, r.outcome])).toEqual([
      ['slack', 'delivered'],
      ['discord', 'delivered'],
      ['webhook', 'queued'],
    ]);
    const report = await h.next({ percent: 10, tick: 1 });
    expect(report).toMatchObject({ notified: 1, queued: 0 });
    expect(h.hook.requests).toHaveLength(4);
    expect(h.hook.requests[3]?.headers['webhook-id']).toBe('msg_remediation_1');
    expect(JSON.parse(h.hook.requests[3]?.body ?? '{}')).toMatchObject({ type: 'notification' });
    const overview = await readAlertsOverview(STATE, Date.now());
    expect(overview.recent.filter((r) => r.id === 'msg_remediation_1')).toHaveLength(4);
  });

  it('notifyMany sends a batch for one KV read and one write, queued ones keeping their order', async () => {
    const h = new Harness({ ALERTS: { routing: { info: ['slack'] } } });
    h.slack.respondWith(500, 500, 500);
    const counted = countingKv(STATE);
    const results = await notifyMany(
      counted.kv,
      h.config,
      [
        notification({ id: 'msg_a', event: 'message', severity: 'info', title: 'first' }),
        notification({ id: 'msg_b', event: 'message', severity: 'info', title: 'second' }),
      ],
      new SubrequestBudget(50),
      createLogger({ sink: () => {} }),
      { sleep: async () => {}, nowMs: T0 },
    );
    expect(results.map((r) => r.map((c) => c.outcome))).toEqual([['queued'], ['queued']]);
    expect([counted.reads(), counted.writes()]).toEqual([1, 1]);
    await h.next({ percent: 10, tick: 1 });
    const titles = h.slack.requests.map((r) => (JSON.parse(r.body) as { text: string }).text);
    expect(titles.slice(3).map((t) => t.split(' — ')[0])).toEqual(['🔵 INFO: first', '🔵 INFO: second']);
  });
});
