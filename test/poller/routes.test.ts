import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { runTick } from '../../src/cycle/tick';
import type { Env } from '../../src/env';
import { bucketKey } from '../../src/storage/poller-store';
import { MS_PER_DAY, MS_PER_HOUR, nextUtcTimeOfDay, setNow, testNow } from '../helpers/clock';
import { FIVE_MINUTES_MS, START_MS, pollerRig } from './helpers';
import { WIRE } from '../helpers/wire';

const ADMIN = { Authorization: 'Bearer test-admin-token-0123456789' };

const READ_TOKEN = 'read-only-token-xyz-0123456789';
const READER = { Authorization: `Bearer ${READ_TOKEN}` };

async function callRaw(path: string, init: RequestInit = {}, extraEnv: Partial<Env> = {}) {
  const response = await createApp().request(
    `https://worker.test${path}`,
    init,
    { ...(env as unknown as Env), ...extraEnv },
    createExecutionContext(),
  );
  const raw = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    raw,
    body: JSON.parse(raw) as Record<string, any>,
  };
}

async function call(path: string, init: RequestInit = {}, extraEnv: Partial<Env> = {}) {
  const { status, body } = await callRaw(path, init, extraEnv);
  return { status, body };
}

describe('GET /healthz', () => {
  it('is unhealthy before any tick: a reason code in public, the message with a token', async () => {
    const { status, body } = await call('/healthz');
    expect(status).toBe(503);
    expect(body).toEqual({ status: 'unhealthy', reasons: ['no_recent_tick'] });
    const detailed = await call('/healthz', { headers: ADMIN });
    expect(detailed.status).toBe(503);
    expect(detailed.body.details).toEqual([
      { code: 'no_recent_tick', message: 'no successful tick in the last 2 hours' },
    ]);
  });

  it('is healthy after a successful tick and shows only its status in public', async () => {
    const rig = pollerRig();
    await rig.tick(Date.now());
    const { status, body } = await call('/healthz');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', reasons: [] });
    const detailed = await call('/healthz', { headers: ADMIN });
    expect(detailed.body).toMatchObject({ status: 'ok', config: { ok: true, problems: [] } });
    expect(detailed.body.last_success_age_seconds).toBeLessThan(60);
    expect(JSON.stringify(detailed.body)).not.toMatch(/bandwidth|proxy_address|test-api-key/);
  });

  it('reports an invalid ALERTS config as a code in public and by name with a token', async () => {
    const rig = pollerRig();
    await rig.tick(Date.now());
    const alerts = { ALERTS: '{"bandwidth": {"thresholds_percent": "80"}}' };
    const { status, body } = await call('/healthz', {}, alerts);
    expect(status).toBe(503);
    expect(body).toEqual({ status: 'unhealthy', reasons: ['config_invalid'] });
    const detailed = await call('/healthz', { headers: ADMIN }, alerts);
    expect(detailed.body.config.problems).toEqual([expect.objectContaining({ variable: 'ALERTS' })]);
    expect(JSON.stringify(detailed.body.details)).toContain('ALERTS.bandwidth.thresholds_percent');
  });

  it('flags a dead cron once the last success is older than 15 minutes', async () => {
    const rig = pollerRig();
    const twentyMinutesAgo = Date.now() - 20 * 60_000;
    await runTick({ env: rig.env, scheduledTime: twentyMinutesAgo, nowMs: twentyMinutesAgo });
    const { status, body } = await call('/healthz', { headers: ADMIN });
    expect(status).toBe(503);
    expect(body.reasons).toEqual(['no_recent_tick']);
    expect(body.details[0].message).toMatch(/last successful tick \d+ s ago/);
  });

  it('says publicly that Webshare refused the key only as the code webshare_auth', async () => {
    const rig = pollerRig();
    rig.sim.control.revokeKey();
    await rig.tick(Date.now());
    const { status, body, raw } = await callRaw('/healthz');
    expect(status).toBe(503);
    expect(body.reasons).toContain('webshare_auth');
    expect(Object.keys(body).sort()).toEqual(['reasons', 'status']);
    expect(raw).not.toMatch(/401|refused|revoked|WEBSHARE_API_KEY|\d{4}-\d\d-\d\d/);
    const detailed = await call('/healthz', { headers: READER }, { ADMIN_READ_TOKEN: READ_TOKEN });
    expect(JSON.stringify(detailed.body.details)).toContain('Webshare refused the API key (401)');
  });

  it('answers a wrong token with the public answer', async () => {
    const { body } = await call('/healthz', {
      headers: { Authorization: 'Bearer not-the-token-0123456789' },
    });
    expect(body).toEqual({ status: 'unhealthy', reasons: ['no_recent_tick'] });
  });

  it('serves a second healthy public call within 30 s without a KV read, and reads again after', async () => {
    await pollerRig().tick(testNow());
    const reads = { count: 0 };
    const kv = (env as unknown as Env).STATE;
    const counting = new Proxy(kv, {
      get(target, name) {
        if (name === 'get') {
          return (...args: Parameters<KVNamespace['get']>) => {
            reads.count++;
            return (target.get as (...a: unknown[]) => unknown)(...args);
          };
        }
        const value = Reflect.get(target, name) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const stateEnv = { STATE: counting } as Partial<Env>;
    const start = testNow();
    const first = await call('/healthz', {}, stateEnv);
    expect(first.status).toBe(200);
    const afterFirst = reads.count;
    expect(afterFirst).toBeGreaterThan(0);
    setNow(start + 29_000);
    const second = await call('/healthz', {}, stateEnv);
    expect(second.body).toEqual(first.body);
    expect(reads.count).toBe(afterFirst);
    // A token answer is never cached: it reads the state now.
    await call('/healthz', { headers: ADMIN }, stateEnv);
    expect(reads.count).toBeGreaterThan(afterFirst);
    const beforeExpiry = reads.count;
    setNow(start + 31_000);
    await call('/healthz', {}, stateEnv);
    expect(reads.count).toBeGreaterThan(beforeExpiry);
  });

  it('answers 200 publicly right after the first successful tick, though it said 503 a moment before', async () => {
    const rig = pollerRig();
    const before = await callRaw('/healthz');
    expect(before.status).toBe(503);
    expect(before.headers.get('Cache-Control')).toBe('public, max-age=5');
    await rig.tick(testNow());
    const after = await callRaw('/healthz');
    expect(after.status).toBe(200);
    expect(after.headers.get('Cache-Control')).toBe('public, max-age=30');
  });

  it('keeps an unhealthy public answer 5 s when the recovery was written by another isolate', async () => {
    const rig = pollerRig();
    await rig.tick(testNow());
    const kv = (env as unknown as Env).STATE;
    const key = bucketKey(testNow());
    const bucket = await kv.get(key);
    await kv.delete(key);
    // The memo is taken between `before` and `after` (the clock runs; a loaded machine is slow).
    const before = testNow();
    expect((await callRaw('/healthz')).status).toBe(503);
    const after = testNow();
    // Written as another isolate's tick would be: nothing in this isolate hears of it.
    await kv.put(key, bucket!);
    setNow(before + 2_000);
    expect((await callRaw('/healthz')).status).toBe(503);
    setNow(after + 5_001);
    expect((await callRaw('/healthz')).status).toBe(200);
  });
});

describe('GET /v1/status', () => {
  it('says, before the first tick, that it is waiting for one, when the cron runs it and how to run one now', async () => {
    // Two minutes past a 5-minute boundary: the next cron tick is three minutes away.
    const boundary = Math.ceil(testNow() / FIVE_MINUTES_MS) * FIVE_MINUTES_MS;
    setNow(boundary + 2 * 60_000);
    const { status, body } = await call('/v1/status', { headers: ADMIN });
    // Still 404 no_snapshot (docs/admin-api.md): no snapshot to summarise; the wait is in `details`.
    expect(status).toBe(404);
    expect(body.error.code).toBe('no_snapshot');
    expect(body.error.details).toEqual({
      waiting_for_first_tick: true,
      next_tick_due_at: new Date(boundary + FIVE_MINUTES_MS).toISOString(),
      run_now: 'POST /v1/poll with the admin token',
    });
    expect(body.error.message).toContain('waiting for the first tick');
    expect(body.error.message).toContain(new Date(boundary + FIVE_MINUTES_MS).toISOString());
  });

  it('stops waiting once a tick has run: POST /v1/poll, then the summary', async () => {
    pollerRig();
    expect((await call('/v1/poll', { method: 'POST', headers: ADMIN })).status).toBe(200);
    const { status, body } = await call('/v1/status', { headers: ADMIN });
    expect(status).toBe(200);
    expect(body.waiting_for_first_tick).toBeUndefined();
    expect(body.bandwidth).toBeDefined();
  });

  it('summarises the latest snapshot', async () => {
    const rig = pollerRig();
    rig.sim.control.setBandwidth({ usedBytes: 40 * 1024 ** 3, limitBytes: 50 * 1024 ** 3 });
    rig.sim.control.invalidate(12, { country: 'DE' });
    await rig.tick(Date.now());
    const { status, body } = await call('/v1/status', { headers: ADMIN });
    expect(status).toBe(200);
    expect(body.bandwidth).toMatchObject({ used_percent: 80, unlimited: false });
    expect(body.invalid_proxies).toMatchObject({ count: 12, total: 100, ratio: 0.12 });
    expect(body.invalid_proxies.worst_countries[0]).toMatchObject({ country: 'DE', invalid: 12 });
    expect(body.quotas.ondemand_refreshes_available).toBeTypeOf('number');
  });
});

describe('GET /v1/snapshots', () => {
  it('returns history newest first within since/until and limit', async () => {
    const rig = pollerRig();
    const times = [0, 1, 2, 3, 4].map((i) => START_MS + i * 300_000);
    for (const time of times) await rig.tick(time);
    // A minute after the last tick: snapshots are never looked for after now.
    setNow(times[4]! + 60_000);
    const until = new Date(times[3]!).toISOString();
    const { status, body } = await call(`/v1/snapshots?since=${times[1]}&until=${until}&limit=2`, {
      headers: ADMIN,
    });
    expect(status).toBe(200);
    expect(body.snapshots.map((s: { scheduled_time: number }) => s.scheduled_time)).toEqual([
      times[3],
      times[2],
    ]);
  });

  it.each([
    ['since=yesterday', 'since'],
    ['limit=0', 'limit'],
    ['limit=100000', 'limit'],
    [`since=${START_MS}&until=${START_MS - 1}`, 'since'],
  ])('rejects %s naming the field', async (query, field) => {
    const { status, body } = await call(`/v1/snapshots?${query}`, { headers: ADMIN });
    expect(status).toBe(400);
    expect(body.error.details).toEqual([expect.objectContaining({ field })]);
  });
});

describe('POST /v1/poll', () => {
  it('runs a tick now through the same path as the cron', async () => {
    const rig = pollerRig();
    const { status, body } = await call('/v1/poll', { method: 'POST', headers: ADMIN });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'done', kv_writes: 1, errors: [] });
    expect(rig.sim.requests.some((r) => r.path === WIRE.stats)).toBe(true);
    const after = await call('/v1/status', { headers: ADMIN });
    expect(after.status).toBe(200);
  });

  it('refuses the read-only token', async () => {
    pollerRig();
    const { status } = await call(
      '/v1/poll',
      { method: 'POST', headers: READER },
      { ADMIN_READ_TOKEN: READ_TOKEN },
    );
    expect(status).toBe(403);
  });
});

describe('configuration problems on /healthz', () => {
  it('names a structured variable that is not JSON without quoting any of its text', async () => {
    const rig = pollerRig();
    await rig.tick(Date.now());
    const plans = '{"starter": sk_live_secretish_value}';
    const { status, body } = await call('/healthz', { headers: ADMIN }, { PLANS: plans });
    expect(status).toBe(503);
    expect(body.config.problems).toEqual([{ variable: 'PLANS', message: 'PLANS is not valid JSON' }]);
    expect(JSON.stringify(body)).not.toContain('sk_live');
  });
});

describe('GET /v1/snapshots?resolution=', () => {
  const DAY0 = nextUtcTimeOfDay(0);
  /** `YYYY-MM-DD` (or with `hour`, `YYYY-MM-DDTHH`) of day `day` after DAY0. */
  const utc = (day: number, hour?: number) => {
    const iso = new Date(DAY0 + day * MS_PER_DAY + (hour ?? 0) * MS_PER_HOUR).toISOString();
    return hour === undefined ? iso.slice(0, 10) : iso.slice(0, 13);
  };
  /** A minute after the last tick, on day 2 at 10:00. */
  const READ_AT = DAY0 + 2 * MS_PER_DAY + 10 * MS_PER_HOUR + 60_000;

  async function ticksOverThreeDays() {
    const rig = pollerRig();
    // Three UTC days, from a midnight ahead of the suite's clock: [day, hour, minute] after it.
    const times = [
      [0, 22, 0],
      [0, 23, 10],
      [1, 9, 0],
      [1, 23, 30],
      [2, 8, 0],
      [2, 8, 40],
      [2, 10, 0],
    ].map(([day, hour, minute]) => DAY0 + day! * MS_PER_DAY + hour! * MS_PER_HOUR + minute! * 60_000);
    for (const [i, time] of times.entries()) {
      rig.sim.control.setBandwidth({ usedBytes: (i + 1) * 1024 ** 3, limitBytes: 50 * 1024 ** 3 });
      await runTick({ env: rig.env, scheduledTime: time, nowMs: time });
    }
    return times;
  }

  it('gives one point per UTC day with resolution=1d, newest first, from the rollups', async () => {
    await ticksOverThreeDays();
    setNow(READ_AT);
    const { status, body } = await call('/v1/snapshots?resolution=1d', { headers: ADMIN });
    expect(status).toBe(200);
    expect(body.resolution).toBe('1d');
    expect(body.snapshots).toBeUndefined();
    expect(
      body.points.map((p: any) => [p.start.slice(0, 10), p.ticks, p.bandwidth_used / 1024 ** 3]),
    ).toEqual([
      [utc(2), 3, 7],
      [utc(1), 2, 4],
      [utc(0), 2, 2],
    ]);
  });

  it('gives one point per hour with resolution=1h, reading each earlier day from its 23:00 bucket', async () => {
    await ticksOverThreeDays();
    setNow(READ_AT);
    const { body } = await call('/v1/snapshots?resolution=1h&limit=20', { headers: ADMIN });
    expect(body.points.map((p: any) => p.start.slice(0, 13))).toEqual([
      utc(2, 10),
      utc(2, 8),
      utc(1, 23),
      utc(1, 9),
      utc(0, 23),
      utc(0, 22),
    ]);
    const limited = await call('/v1/snapshots?resolution=1h&limit=2', { headers: ADMIN });
    expect(limited.body.count).toBe(2);
  });

  it('rejects an unknown resolution naming the field', async () => {
    const { status, body } = await call('/v1/snapshots?resolution=5m', { headers: ADMIN });
    expect(status).toBe(400);
    expect(body.error.details).toEqual([expect.objectContaining({ field: 'resolution' })]);
  });
});
