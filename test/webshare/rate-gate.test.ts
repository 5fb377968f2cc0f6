/**
 * The account's rate gate: the real RateGate Durable Object in workerd, asked with injected clocks
 * (window arithmetic, batches, classes, concurrency), and the real transport taking its slots from it
 * against the simulator.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../sim';
import type { Env } from '../../src/env';
import { SubrequestBudget } from '../../src/lib/budget';
import { WebshareClient } from '../../src/webshare/v1/client';
import { WebshareLocalRateLimitError } from '../../src/webshare/errors';
import { NETWORK_MARGIN_MS, rateGateOf, settleLog, type RateGateLike } from '../../src/webshare/rate-gate';
import { RATE_LIMITS_PER_MINUTE, RATE_WINDOW_MS } from '../../src/webshare/rate-limits';
import { RateSlots } from '../../src/webshare/rate-slots';
import { routeOutbound } from '../helpers/outbound';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const V1 = RATE_LIMITS_PER_MINUTE;
const HOLD_MS = RATE_WINDOW_MS + NETWORK_MARGIN_MS;

function gate(): RateGateLike {
  const found = rateGateOf((env as unknown as Env).RATE_GATE);
  if (!found) throw new Error('RATE_GATE is not bound in the test env');
  return found;
}

describe('the rate gate window', () => {
  it('grants up to the limit, then says when the oldest slot leaves the window', async () => {
    const first = await gate().acquire({ proxyList: 60 }, V1, 0, T0);
    expect(first.granted).toEqual({ proxyList: 60 });
    const full = await gate().acquire({ proxyList: 1 }, V1, 0, T0 + 30_000);
    expect(full.granted).toEqual({ proxyList: 0 });
    expect(full.retryAfterMs.proxyList).toBe(HOLD_MS - 30_000);
    expect((await gate().acquire({ proxyList: 1 }, V1, 0, T0 + HOLD_MS - 1)).granted.proxyList).toBe(0);
    expect((await gate().acquire({ proxyList: 1 }, V1, 0, T0 + HOLD_MS)).granted.proxyList).toBe(1);
  });

  it('holds a slot for its lease on top of the window', async () => {
    await gate().acquire({ proxyList: 60 }, V1, 30_000, T0);
    const answer = await gate().acquire({ proxyList: 1 }, V1, 0, T0 + HOLD_MS);
    expect(answer.granted.proxyList).toBe(0);
    expect(answer.retryAfterMs.proxyList).toBe(30_000);
    expect((await gate().acquire({ proxyList: 1 }, V1, 0, T0 + HOLD_MS + 30_000)).granted.proxyList).toBe(1);
  });

  it('grants part of a batch when the window has less room, and keeps classes apart', async () => {
    await gate().acquire({ proxyList: 50 }, V1, 0, T0);
    const answer = await gate().acquire({ proxyList: 50, general: 100 }, V1, 0, T0 + 1_000);
    expect(answer.granted).toEqual({ proxyList: 10, general: 100 });
    expect(answer.retryAfterMs).toEqual({ proxyList: HOLD_MS - 1_000 });
  });

  it('takes the limits from the caller, so a v2 table (240 general) plugs in', async () => {
    const v2 = { ...V1, general: 240 };
    expect((await gate().acquire({ general: 200 }, V1, 0, T0)).granted.general).toBe(180);
    expect((await gate().acquire({ general: 100 }, v2, 0, T0)).granted.general).toBe(60);
  });

  it('gives 50 concurrent acquirers no more than the limit in any 60-second window', async () => {
    const leaseMs = 5_000;
    // 50 callers over about 100 s, each asking for 1–3 list slots, all at once.
    const asks = Array.from({ length: 50 }, (_, i) => ({ at: T0 + i * 2_000, want: 1 + (i % 3) }));
    const answers = await Promise.all(
      asks.map((ask) => gate().acquire({ proxyList: ask.want }, V1, leaseMs, ask.at)),
    );
    const slots = answers.flatMap((a) => Array<number>(a.granted.proxyList ?? 0).fill(a.atMs));
    expect(slots.length).toBeGreaterThan(V1.proxyList);
    // A slot may be used anywhere in [at, at + lease]: count every slot that COULD fall in a window.
    for (let start = T0 - RATE_WINDOW_MS; start <= T0 + 200_000; start += 250) {
      const could = slots.filter((at) => at < start + RATE_WINDOW_MS && at + leaseMs >= start).length;
      expect(could).toBeLessThanOrEqual(V1.proxyList);
    }
  });
});

describe('settling slots with the gate', () => {
  const TICK_LEASE_MS = 30_000;
  const tickSlots = (clock: { now: number }) =>
    new RateSlots(gate(), { leaseMs: TICK_LEASE_MS, now: () => clock.now });

  it('frees a sweep’s 60 list slots a window after they were used, not a lease later', async () => {
    const clock = { now: T0 };
    const sweep = tickSlots(clock);
    await sweep.reserve({ proxyList: 60 }, V1);
    for (let page = 0; page < 60; page++) {
      clock.now = T0 + 1_000 + page * 50; // the whole sweep within its first 4 seconds
      await sweep.take('proxyList', V1, 0, { method: 'GET', path: '/api/proxy/list/' });
    }
    await sweep.settle();
    const lastUse = T0 + 1_000 + 59 * 50;

    // Still inside a window and the margin of the last use: nothing more for anyone.
    expect((await gate().acquire({ proxyList: 60 }, V1, 0, lastUse + HOLD_MS - 1)).granted.proxyList).toBe(
      59,
    );
    // 61 s after the sweep, the next one continues (before, it waited until the lease + 61 s: ~91 s).
    const next = await gate().acquire({ proxyList: 1 }, V1, 0, lastUse + HOLD_MS);
    expect(next.granted.proxyList).toBe(1);
    expect(lastUse + HOLD_MS - T0).toBeLessThan(TICK_LEASE_MS + HOLD_MS);
  });

  it('frees the slots a caller did not use at once', async () => {
    const clock = { now: T0 };
    const sweep = tickSlots(clock);
    await sweep.reserve({ proxyList: 60 }, V1);
    clock.now = T0 + 1_000;
    for (let page = 0; page < 10; page++) {
      await sweep.take('proxyList', V1, 0, { method: 'GET', path: '/api/proxy/list/' });
    }
    await sweep.settle();
    expect((await gate().acquire({ proxyList: 60 }, V1, 0, T0 + 2_000)).granted.proxyList).toBe(50);
  });

  it.each([
    ['a use after the use-by', [[T0 + 30_000, T0 + 45_000]], [T0 + 30_000]],
    ['a use before any lease could have started', [[T0 + 30_000, T0 - 600_000]], [T0 + 30_000 - 60_000]],
    ['a use of a slot it does not know', [[T0 + 31_000, T0 + 1_000]], [T0 + 30_000]],
  ] as const)('never frees a slot early for %s', (_what, used, log) => {
    expect(settleLog([T0 + 30_000], [], used as unknown as [number, number][])).toEqual(log);
  });
});

describe('the transport with the gate', () => {
  function setup(options: { budget?: SubrequestBudget; maxRetryWaitMs?: number } = {}) {
    const clock = { now: T0 };
    const sim = createSimulator({ now: () => clock.now });
    routeOutbound({ 'webshare.sim': sim.fetch });
    const now = () => clock.now;
    const sleep = async (ms: number) => {
      clock.now += ms;
    };
    const slots = new RateSlots(gate(), { budget: options.budget, now, sleep });
    const client = new WebshareClient({
      apiKey: 'test-api-key-9f8e7d6c',
      baseUrl: 'https://webshare.sim',
      budget: options.budget,
      slots,
      now,
      sleep,
      maxRetryWaitMs: options.maxRetryWaitMs ?? 2_000,
    });
    return { sim, clock, slots, client };
  }

  it('pays one round trip for a reserved batch, taken from the subrequest budget', async () => {
    const budget = new SubrequestBudget(50);
    const { slots, client } = setup({ budget });
    await slots.reserve({ general: 3 }, V1);
    await client.getProxyStats();
    await client.getReplacementInfo();
    await client.getSubscription();
    expect(slots.roundTrips).toBe(1);
    expect(budget.used).toBe(4);
  });

  it('refills 1, then 2, then 4 slots at a time', async () => {
    const { slots, client } = setup();
    for (let i = 0; i < 7; i++) await client.getProxyStats();
    expect(slots.roundTrips).toBe(3);
  });

  it('answers WebshareLocalRateLimitError with retryAfterSeconds, sending nothing, when the wait is too long', async () => {
    await gate().acquire({ proxyList: 60 }, V1, 0, T0);
    const { sim, client } = setup();
    const error = await client.listProxies().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebshareLocalRateLimitError);
    expect((error as WebshareLocalRateLimitError).retryAfterSeconds).toBe(HOLD_MS / 1000);
    expect(sim.requests).toEqual([]);
  });

  it('waits for a slot that frees within its allowed wait, then sends', async () => {
    await gate().acquire({ proxyList: 60 }, V1, 0, T0 - HOLD_MS + 1_500);
    const { sim, clock, client } = setup({ maxRetryWaitMs: 2_000 });
    await client.listProxies();
    expect(clock.now).toBe(T0 + 1_500);
    expect(sim.requests).toHaveLength(1);
  });

  it('goes on with its own limiter when the gate cannot be reached', async () => {
    const unreachable: RateGateLike = {
      acquire: () => Promise.reject(new Error('object reset')),
      release: () => Promise.reject(new Error('object reset')),
    };
    const sim = createSimulator();
    routeOutbound({ 'webshare.sim': sim.fetch });
    const slots = new RateSlots(unreachable);
    const client = new WebshareClient({
      apiKey: 'test-api-key-9f8e7d6c',
      baseUrl: 'https://webshare.sim',
      slots,
    });
    await client.getProxyStats();
    await client.getProxyStats();
    expect(slots.unreachable).toBe(true);
    expect(slots.roundTrips).toBe(1);
    expect(sim.requests).toHaveLength(2);
  });

  it('lets 50 concurrent callers through the real gate send at most the limit, and no 429', async () => {
    const sim = createSimulator({ now: Date.now });
    routeOutbound({ 'webshare.sim': sim.fetch });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => {
        const slots = new RateSlots(gate());
        const client = new WebshareClient({
          apiKey: 'test-api-key-9f8e7d6c',
          baseUrl: 'https://webshare.sim',
          slots,
          maxRetryWaitMs: 0,
        });
        return (async () => {
          await client.listProxies({ page: 1 });
          await client.listProxies({ page: 2 });
        })();
      }),
    );
    const lists = sim.requests.filter((r) => r.bucket === 'proxyList');
    // Unused slots of a batch are spent (a caller that asked 2 and was refused its next request).
    expect(lists.length).toBeLessThanOrEqual(V1.proxyList);
    expect(lists.length).toBeGreaterThanOrEqual(50);
    expect(sim.requests.filter((r) => r.status === 429)).toEqual([]);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(WebshareLocalRateLimitError);
    }
  });
});
