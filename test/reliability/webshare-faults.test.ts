/**
 * The fault matrix of a tick: every Webshare call a tick makes × every way Webshare misbehaves. The
 * real cron handler runs against the simulator and real KV; each case checks the tick completed,
 * recorded the failure in the snapshot, kept the other sources, leaked no key, and stayed within
 * Webshare's per-minute limits.
 *
 * Timeouts: the tick's client aborts each request after 10 s (TICK_REQUEST_TIMEOUT_MS, via
 * AbortSignal.timeout) and retries reads up to three times, so a real slow answer would cost this
 * suite 30 s per case, and workerd's AbortSignal.timeout cannot be faked. The simulator answers, then
 * the outbound route rejects the fetch with the very error the signal raises when it fires (a
 * DOMException named TimeoutError): the client's timeout handling runs for real, the wait does not.
 */
import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Fault, Simulator } from '../../sim';
import { createApp } from '../../src/app';
import type { Env } from '../../src/env';
import { runTick } from '../../src/cycle/tick';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { FIVE_MINUTES_MS, START_MS, pollerRig, type PollerRig } from '../poller/helpers';
import {
  ADMIN_TOKEN,
  TICK_PATHS,
  WEBSHARE_API_KEY,
  captureConsole,
  dumpKv,
  expectWithinRateLimits,
  noBackoffJitter,
} from './helpers';

type TickPath = (typeof TICK_PATHS)[number];

interface FaultCase {
  name: string;
  fault: (path: TickPath) => Omit<Fault, 'path'>;
  /** The SourceError the snapshot must hold; null when the tick must shrug the fault off. */
  expected: { kind: string; status: number | null } | null;
  timeout?: boolean;
  /** Requests the tick may send to the faulted path: reads are retried (3 attempts) only when worth it. */
  attempts: number;
}

const FAULTS: FaultCase[] = [
  {
    name: '429 with Retry-After',
    attempts: 1,
    fault: () => ({ status: 429, retryAfter: '30' }),
    expected: { kind: 'WebshareRateLimitError', status: 429 },
  },
  {
    name: '429 without Retry-After',
    attempts: 1,
    fault: () => ({ status: 429, retryAfter: null }),
    expected: { kind: 'WebshareRateLimitError', status: 429 },
  },
  {
    name: '500',
    attempts: 3,
    fault: () => ({ status: 500 }),
    expected: { kind: 'WebshareServerError', status: 500 },
  },
  {
    name: '502',
    attempts: 3,
    fault: () => ({ status: 502 }),
    expected: { kind: 'WebshareServerError', status: 502 },
  },
  {
    name: '503',
    attempts: 3,
    fault: () => ({ status: 503 }),
    expected: { kind: 'WebshareUnavailableError', status: 503 },
  },
  {
    name: 'timeout',
    attempts: 3,
    fault: () => ({}),
    timeout: true,
    expected: { kind: 'WebshareTimeoutError', status: null },
  },
  {
    name: 'connection reset',
    attempts: 3,
    fault: () => ({ networkError: true }),
    expected: { kind: 'WebshareNetworkError', status: null },
  },
  {
    name: 'malformed JSON',
    attempts: 1,
    fault: () => ({ malformedJson: true }),
    expected: { kind: 'WebshareResponseError', status: 200 },
  },
  {
    name: 'a required field missing',
    attempts: 1,
    fault: (p) => ({ dropFields: [p.requiredField] }),
    expected: { kind: 'WebshareResponseError', status: 200 },
  },
  {
    name: 'nulls in a required field',
    attempts: 1,
    fault: (p) => ({ nullFields: [p.requiredField] }),
    expected: { kind: 'WebshareResponseError', status: 200 },
  },
  {
    name: 'an unknown field',
    attempts: 1,
    fault: () => ({ addFields: { surprise_field: { nested: [1, 2, 3] }, another: null } }),
    expected: null,
  },
  {
    name: '401 (revoked key)',
    attempts: 1,
    fault: () => ({ status: 401, body: JSON.stringify({ detail: 'Invalid token.' }) }),
    expected: { kind: 'WebshareUnauthorizedError', status: 401 },
  },
];

const MATRIX = TICK_PATHS.flatMap((path) => FAULTS.map((fault) => ({ ...path, tickPath: path, ...fault })));

/** Two sub-users at Webshare, so per-item faults on the sub-user list have items to act on. */
async function seedSubUsers(sim: Simulator): Promise<void> {
  for (const label of ['cust:alpha', 'cust:beta']) {
    const response = await sim.fetch(
      new Request('https://webshare.sim/api/subuser/', {
        method: 'POST',
        headers: {
          Authorization: `Token ${WEBSHARE_API_KEY}`,
          Accept: 'application/json',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ label, proxy_limit: 5 }),
      }),
    );
    expect(response.status).toBe(201);
  }
  sim.control.clearRequests();
}

/** Answers from the simulator, then fails the fetch as AbortSignal.timeout does when it fires. */
function timeOutOn(rig: PollerRig, path: string): void {
  routeOutbound({
    'webshare.sim': async (request) => {
      const response = await rig.sim.fetch(request);
      if (new URL(request.url).pathname !== path) return response;
      await response.body?.cancel();
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    },
  });
}

/** /healthz with the admin token: the details (messages, streak), never cached. */
async function health(): Promise<{ status: number; body: Record<string, any> }> {
  const response = await createApp().request(
    'https://worker.test/healthz',
    { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } },
    env as unknown as Env,
    createExecutionContext(),
  );
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('a tick under every Webshare fault', () => {
  const logs = captureConsole();
  noBackoffJitter();

  it.each(MATRIX)('$path answering $name', async (c) => {
    const rig = pollerRig({ proxyCount: 100 });
    await seedSubUsers(rig.sim);
    if (c.timeout) timeOutOn(rig, c.path);
    else rig.sim.control.inject({ path: c.path, method: 'GET', ...c.fault(c.tickPath) });

    await rig.tick(START_MS);

    const { state } = await rig.store().readState(START_MS);
    // The tick completed and stored its snapshot: the cron handler did not throw past its catch.
    expect(state.last_scheduled_time).toBe(START_MS);
    const snapshot = state.latest!;
    expect(snapshot.scheduled_time).toBe(START_MS);
    expect(logs.lines.join('\n')).not.toContain('scheduled cycle failed');
    expect(logs.lines.join('\n')).toContain('tick done');

    const ours = snapshot.errors.filter((e) => e.source === c.source);
    if (c.expected === null) {
      expect(snapshot.errors).toEqual([]);
    } else {
      expect(ours).toEqual([expect.objectContaining({ source: c.source, ...c.expected })]);
      // Only the faulted source failed; the others are in the snapshot.
      expect(snapshot.errors.filter((e) => e.source !== c.source)).toEqual([]);
      expect(ours[0]!.message).toContain(c.path);
    }
    const failed = c.expected !== null;
    expect(snapshot.stats === null).toBe(failed && c.source === 'stats');
    expect(snapshot.quotas === null).toBe(failed && c.source === 'replacement_info');
    expect(snapshot.subscription === null).toBe(failed && c.source === 'subscription');
    expect(snapshot.subusers === null).toBe(failed && c.source === 'subusers');
    if (failed && c.source === 'proxy_list') expect(snapshot.sweep).toBeNull();
    else expect(snapshot.sweep?.total).toBe(100);
    if (!failed && c.source === 'subusers') expect(snapshot.subusers).toHaveLength(2);
    // Retried when worth it (5xx, timeout, reset), never more than three times, and not at all for
    // a long Retry-After, a refused key or a body that will not parse any better next time.
    expect(rig.sim.requests.filter((r) => r.path === c.path && (r.query.page ?? '1') === '1')).toHaveLength(
      c.attempts,
    );

    // One source alone never counts as "Webshare unreachable".
    expect(snapshot.consecutive_failed_ticks).toBe(0);
    expect(snapshot.subrequests.used).toBeLessThanOrEqual(snapshot.subrequests.limit);
    expectWithinRateLimits(rig.sim.requests);
    expect(JSON.stringify(snapshot)).not.toContain(WEBSHARE_API_KEY);
    expect(await dumpKv()).not.toContain(WEBSHARE_API_KEY);
    expect(logs.lines.join('\n')).not.toContain(WEBSHARE_API_KEY);
  });

  it('retries a read after a short Retry-After and records no error', async () => {
    const rig = pollerRig({ proxyCount: 25 });
    rig.sim.control.inject({ path: '/api/proxy/stats/', status: 429, retryAfter: '1', times: 1 });
    await rig.tick(START_MS);
    const snapshot = (await rig.store().readState(START_MS)).state.latest!;
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.stats).not.toBeNull();
    expect(rig.sim.requests.filter((r) => r.path === '/api/proxy/stats/').map((r) => r.status)).toEqual([
      429, 200,
    ]);
  });

  it('stops retrying a read after three attempts', async () => {
    const rig = pollerRig({ proxyCount: 25 });
    rig.sim.control.inject({ path: '/api/proxy/stats/', status: 500 });
    await rig.tick(START_MS);
    expect(rig.sim.requests.filter((r) => r.path === '/api/proxy/stats/')).toHaveLength(3);
  });
});

describe("Webshare's 60-second limits across ticks", () => {
  captureConsole();
  noBackoffJitter();
  // Crons that pile up (a late delivery, manual polls) must share Webshare's windows, not each
  // get their own: 3,000 proxies are 120 list pages, twice what one minute allows.
  const BACK_TO_BACK_MS = 10_000;

  it.each([
    { name: 'a healthy account', fault: undefined },
    { name: '500s on every other list page', fault: { path: '/api/proxy/list/', status: 500, times: 20 } },
    {
      name: '429 on list pages',
      fault: { path: '/api/proxy/list/', status: 429, retryAfter: '30', times: 3 },
    },
  ])('ticks 10 s apart stay within 180 general and 60 list requests a minute: $name', async ({ fault }) => {
    const rig = pollerRig({ proxyCount: 3_000 }, { SUBREQUEST_BUDGET: '1000' });
    if (fault) rig.sim.control.inject(fault);
    for (let i = 0; i < 12; i++) await rig.tick(START_MS + i * BACK_TO_BACK_MS);
    expectWithinRateLimits(rig.sim.requests);
    // …and the sweep still progressed: the limit slowed it, it did not stop it.
    const { state } = await rig.store().readState(START_MS + 12 * BACK_TO_BACK_MS);
    expect(state.latest!.sweep_progress).toBeTruthy();
    expect(rig.sim.requests.filter((r) => r.path === '/api/proxy/list/').length).toBeGreaterThan(60);
  });
});

describe('a revoked key or a long outage', () => {
  captureConsole();
  noBackoffJitter();

  it.each([1, 3, 6])('counts %i refused ticks and /healthz shows it', async (ticks) => {
    const rig = pollerRig({ proxyCount: 25 });
    const start = Date.now() - (ticks + 1) * FIVE_MINUTES_MS;
    await runTick({ env: rig.env, scheduledTime: start, nowMs: start });
    rig.sim.control.revokeKey();
    for (let i = 1; i <= ticks; i++) {
      const at = start + i * FIVE_MINUTES_MS;
      rig.clock.now = at;
      await runTick({ env: rig.env, scheduledTime: at, nowMs: at });
    }
    const { state } = await rig.store().readState(Date.now());
    expect(state.consecutive_failed_ticks).toBe(ticks);
    expect(state.latest!.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'stats', kind: 'WebshareUnauthorizedError', status: 401 }),
        expect.objectContaining({
          source: 'replacement_info',
          kind: 'WebshareUnauthorizedError',
          status: 401,
        }),
      ]),
    );
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body.status).toBe('unhealthy');
    expect(body.webshare_consecutive_failed_ticks).toBe(ticks);
    expect(body.reasons).toContain('webshare_auth');
    expect(JSON.stringify(body.details)).toMatch(/API key/);
    expect(JSON.stringify(body)).not.toContain(WEBSHARE_API_KEY);
  });

  it('counts an outage of every endpoint tick by tick and /healthz turns unhealthy after 15 minutes', async () => {
    const rig = pollerRig({ proxyCount: 25 });
    const start = Date.now() - 5 * FIVE_MINUTES_MS;
    await runTick({ env: rig.env, scheduledTime: start, nowMs: start });
    rig.sim.control.inject({ path: '/api/*', status: 503 });
    const counts: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const at = start + i * FIVE_MINUTES_MS;
      rig.clock.now = at;
      const { tick } = await runTick({ env: rig.env, scheduledTime: at, nowMs: at });
      if (tick.status !== 'done') throw new Error(`tick ${i} was ${tick.status}`);
      counts.push(tick.snapshot.consecutive_failed_ticks);
    }
    expect(counts).toEqual([1, 2, 3, 4, 5]);
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body.webshare_consecutive_failed_ticks).toBe(5);
    expect(JSON.stringify(body.details)).toMatch(/last successful tick \d+ s ago/);

    // Webshare comes back: the count resets and /healthz recovers with the next tick.
    rig.sim.control.clearFaults();
    const now = Date.now();
    rig.clock.now = now;
    await runTick({ env: rig.env, scheduledTime: now, nowMs: now });
    const recovered = await health();
    expect(recovered.status).toBe(200);
    expect(recovered.body.webshare_consecutive_failed_ticks).toBe(0);
  }, 30_000);
});

describe('the watchdog alert of a revoked key or a long outage', () => {
  captureConsole();
  noBackoffJitter();

  it.each([
    {
      name: 'a revoked key',
      rule: 'webshare_auth',
      breakWebshare: (rig: PollerRig) => rig.sim.control.revokeKey(),
      mendWebshare: (rig: PollerRig) => rig.sim.control.setApiKey(WEBSHARE_API_KEY),
    },
    {
      name: 'a long outage (503 everywhere)',
      rule: 'webshare_unreachable',
      breakWebshare: (rig: PollerRig) => rig.sim.control.inject({ path: '/api/*', status: 503 }),
      mendWebshare: (rig: PollerRig) => rig.sim.control.clearFaults(),
    },
  ])(
    '$name fires its own alert once, at the third failed tick, and resolves once',
    async (c) => {
      const rig = pollerRig(
        { proxyCount: 25 },
        {
          ALERT_WEBHOOK_URL: 'https://hook.sink/alerts',
          ALERT_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        },
      );
      const hook = new RecordingSink();
      routeOutbound({ 'webshare.sim': rig.sim.fetch, 'hook.sink': hook.fetch });
      const events = () =>
        hook.requests
          .map((r) => JSON.parse(r.body) as { type: string; data: { alert: { rule: string } | null } })
          .filter((e) => e.data.alert?.rule === c.rule)
          .map((e) => e.type);

      await rig.tick(START_MS);
      c.breakWebshare(rig);
      const firedAt: number[] = [];
      for (let i = 1; i <= 6; i++) {
        await rig.tick(START_MS + i * FIVE_MINUTES_MS);
        if (events().length > 0 && firedAt.length === 0) firedAt.push(i);
      }
      expect(firedAt).toEqual([3]);
      expect(events()).toEqual(['alert.firing']);

      c.mendWebshare(rig);
      for (let i = 7; i <= 9; i++) await rig.tick(START_MS + i * FIVE_MINUTES_MS);
      expect(events()).toEqual(['alert.firing', 'alert.resolved']);
      for (const request of hook.requests) expect(request.body).not.toContain(WEBSHARE_API_KEY);
    },
    30_000,
  );
});
