/**
 * The tick end to end in workerd on each Webshare dialect: WEBSHARE_API_VERSION=v1 and v2, and auto
 * against a server speaking only one of them. Same assertions, whatever the dialect underneath.
 */
import { describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../../sim';
import { createApp } from '../../src/app';
import type { Env } from '../../src/env';
import { sweepRequestsWithinCpu } from '../../src/poller/cpu-budget';
import { traitsOf } from '../../src/webshare/dialects';
import { KV_PREFIX } from '../../src/storage/keys';
import { RecordingSink } from '../helpers/sink';
import { routeOutbound } from '../helpers/outbound';
import { FIVE_MINUTES_MS, START_MS, pollerRig } from '../poller/helpers';

const ADMIN_TOKEN = 'test-admin-token-0123456789';

interface Case {
  name: string;
  version: 'v1' | 'v2' | 'auto';
  server: NonNullable<SimulatorOptions['apiVersion']>;
  speaks: 'v1' | 'v2';
}

const CASES: Case[] = [
  { name: 'v1', version: 'v1', server: 'v1', speaks: 'v1' },
  { name: 'v2', version: 'v2', server: 'v2', speaks: 'v2' },
  { name: 'auto against a v2-only server', version: 'auto', server: 'v2', speaks: 'v2' },
  { name: 'auto against a v1-only server', version: 'auto', server: 'v1', speaks: 'v1' },
];

function rigFor(c: Case, options: SimulatorOptions = {}, extraEnv: Partial<Env> = {}) {
  const rig = pollerRig(
    { apiVersion: c.server, ...options },
    { WEBSHARE_API_VERSION: c.version, ...extraEnv },
  );
  return rig;
}

async function get(env: Env, path: string): Promise<Response> {
  return createApp().request(path, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } }, env);
}

describe.each(CASES)('a tick with WEBSHARE_API_VERSION=$version ($name)', (c) => {
  it('records stats, quotas, the subscription and a complete sweep in one tick, in that dialect', async () => {
    const rig = rigFor(c, { proxyCount: 100 });
    const invalid = rig.sim.control.invalidate(7);
    await rig.tick();
    const snapshot = (await rig.store().readState(START_MS)).state.latest!;
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.webshare_api).toBe(c.speaks);
    expect(snapshot.stats).toMatchObject({
      bandwidth_used: rig.sim.state.bandwidth.usedBytes,
      bandwidth_limit: rig.sim.state.bandwidth.limitBytes,
    });
    expect(snapshot.quotas?.proxy_replacements_available).toBe(rig.sim.state.quotas.replacementsTotal);
    expect(snapshot.subscription?.end_date).toBe(rig.sim.state.subscription.end_date);
    expect(snapshot.sweep).toMatchObject({ total: 100, invalid: 7, invalid_ratio: 0.07, ticks: 1 });
    expect(snapshot.sweep!.invalid_proxies.map((p) => p.proxy_address).sort()).toEqual([...invalid].sort());
    // Every request went to the dialect's own paths.
    const paths = rig.sim.requests.filter((r) => r.status !== 404).map((r) => r.path);
    for (const path of paths) expect(/^\/api\/v[23]\//.test(path)).toBe(c.speaks === 'v2');
  });

  it('reads sub-user usage against the limit in the dialect’s GB (v2: 10^9 bytes, never under-reported)', async () => {
    const rig = rigFor(c);
    const [id] = [rig.sim.state.nextSubUserId];
    const create = await rig.sim.fetch(
      new Request(`https://webshare.sim${c.speaks === 'v2' ? '/api/v2/subuser/' : '/api/subuser/'}`, {
        method: 'POST',
        headers: { Authorization: 'Token test-api-key-9f8e7d6c', 'Content-Type': 'application/json' },
        body: JSON.stringify({ label: 'metered', proxy_limit: 2 }),
      }),
    );
    expect(create.status).toBe(201);
    rig.sim.control.setSubUserUsage(id!, 1_000_000_000);
    await rig.tick();
    const [usage] = (await rig.store().readState(START_MS)).state.latest!.subusers!;
    const gb = c.speaks === 'v2' ? 1e9 : 1024 ** 3;
    expect(usage!.usage_percent).toBeCloseTo((1e9 / (2 * gb)) * 100, 6);
  });

  it('shows the dialect in /v1/status, and only its code in /healthz', async () => {
    const rig = rigFor(c);
    // /v1/status reads the last two hours before the real clock.
    await rig.tick(Date.now());
    const status = (await (await get(rig.env, '/v1/status')).json()) as { webshare_api: unknown };
    expect(status.webshare_api).toMatchObject({
      dialect: c.speaks,
      source: c.version === 'auto' ? 'probe' : 'config',
    });
    const health = (await (await get(rig.env, '/healthz')).json()) as { webshare_api: unknown };
    expect(health.webshare_api).toBe(c.speaks);
  });

  it('fires the bandwidth and invalid-proxy alerts from that dialect’s figures', async () => {
    const sink = new RecordingSink();
    const rig = rigFor(c, { proxyCount: 100 }, { SLACK_WEBHOOK_URL: 'https://slack.sink/hook' });
    routeOutbound({ 'webshare.sim': rig.sim.fetch, 'slack.sink': sink.fetch });
    rig.sim.control.setBandwidth({ usedBytes: Math.round(rig.sim.state.bandwidth.limitBytes * 0.95) });
    rig.sim.control.invalidate(30);
    await rig.tick();
    const text = sink.requests.map((r) => r.body).join('\n');
    expect(text).toMatch(/bandwidth/i);
    expect(text).toMatch(/95(\.0)? ?%/);
    expect(text).toMatch(/invalid/i);
  });
});

describe('the dashboard', () => {
  it.each(['v1', 'v2'] as const)('names the Webshare API the last tick spoke (%s)', async (dialect) => {
    const rig = rigFor({ name: dialect, version: dialect, server: dialect, speaks: dialect });
    await rig.tick(Date.now());
    const app = createApp();
    const login = await app.request(
      'https://worker.test/login',
      {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
      },
      rig.env,
    );
    const cookie = (login.headers.get('Set-Cookie') ?? '').split(';')[0]!;
    const page = await app.request('https://worker.test/', { headers: { Cookie: cookie } }, rig.env);
    expect(await page.text()).toContain(`Webshare API ${dialect}`);
  });
});

describe('WEBSHARE_API_VERSION=auto', () => {
  it('decides nothing when the probe fails for another reason than 404: that tick speaks v1, the next probes again', async () => {
    const rig = rigFor(CASES[2]!);
    rig.sim.state.options.apiVersion = 'both';
    rig.sim.control.inject({ path: '/api/v2/subscription/', status: 503, times: 2 });
    await rig.tick(START_MS);
    const first = (await rig.store().readState(START_MS)).state;
    expect(first.webshare_api).toBeNull();
    expect(first.latest?.webshare_api).toBe('v1');
    expect(first.latest?.errors).toEqual([expect.objectContaining({ source: 'webshare_api', status: 503 })]);
    await rig.tick(START_MS + FIVE_MINUTES_MS);
    const second = (await rig.store().readState(START_MS + FIVE_MINUTES_MS)).state;
    expect(second.webshare_api).toMatchObject({ dialect: 'v2', source: 'probe' });
  });

  it('probes once, keeps the answer for later ticks and for requests outside ticks', async () => {
    const c = CASES[2]!;
    const rig = rigFor(c);
    await rig.tick(START_MS);
    await rig.tick(START_MS + FIVE_MINUTES_MS);
    const probes = rig.sim.requests.filter((r) => r.path === '/api/v2/subscription/');
    // One probe, then each tick's own subscription read (the billing period and plan id of v2 stats).
    expect(probes.length).toBe(3);
    expect(await rig.env.STATE.get(KV_PREFIX.dialect, 'json')).toMatchObject({
      dialect: 'v2',
      source: 'probe',
    });
  });

  it('probes again when the chosen dialect starts answering 404 to its own paths', async () => {
    const c = CASES[2]!;
    const rig = rigFor(c);
    await rig.tick(START_MS);
    // The server stops speaking v2 (and now speaks only v1).
    rig.sim.state.options.apiVersion = 'v1';
    await rig.tick(START_MS + FIVE_MINUTES_MS);
    const { state } = await rig.store().readState(START_MS + FIVE_MINUTES_MS);
    expect(state.webshare_api).toBeNull();
    await rig.tick(START_MS + 2 * FIVE_MINUTES_MS);
    const after = (await rig.store().readState(START_MS + 2 * FIVE_MINUTES_MS)).state;
    expect(after.webshare_api).toMatchObject({ dialect: 'v1', source: 'probe' });
    expect(after.latest?.errors).toEqual([]);
    expect(after.latest?.webshare_api).toBe('v1');
  });
});

describe('the v2 sweep at scale', () => {
  it('gets a complete validity picture of 100,000 proxies with 2 % invalid in one tick within 50 subrequests, on a paid plan', async () => {
    const c = CASES[1]!;
    // SWEEP_PAGES_PER_TICK lifts the Free plan's CPU sizing (src/poller/cpu-budget.ts).
    const rig = rigFor(c, { proxyCount: 100_000 }, { SUBREQUEST_BUDGET: '50', SWEEP_PAGES_PER_TICK: '50' });
    rig.sim.control.invalidate(2_000);
    await rig.tick();
    const snapshot = (await rig.store().readState(START_MS)).state.latest!;
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.sweep).toMatchObject({ total: 100_000, invalid: 2_000, ticks: 1 });
    expect(snapshot.subrequests.used).toBeLessThanOrEqual(50);
    const worst = Object.entries(snapshot.sweep!.by_country).sort((a, b) => b[1].invalid - a[1].invalid)[0]!;
    expect(worst[1].total).toBe(rig.sim.state.proxies.countsByCountry()[worst[0]]);
  });

  it('spreads the same sweep over two ticks by default, each within the CPU model', async () => {
    const c = CASES[1]!;
    const rig = rigFor(c, { proxyCount: 100_000 }, { SUBREQUEST_BUDGET: '50' });
    rig.sim.control.invalidate(2_000);
    const affordable = sweepRequestsWithinCpu({
      listRequestMs: traitsOf('v2').sweepRequestCpuMs(null),
      stateBytes: 0,
      tracked: 0,
    });
    await rig.tick();
    const first = (await rig.store().readState(START_MS)).state.latest!;
    expect(first.sweep).toBeNull();
    expect(first.sweep_progress.pages_done).toBeLessThan(affordable);
    await rig.tick(START_MS + FIVE_MINUTES_MS);
    const second = (await rig.store().readState(START_MS + FIVE_MINUTES_MS)).state.latest!;
    expect(second.errors).toEqual([]);
    expect(second.sweep).toMatchObject({ total: 100_000, invalid: 2_000, ticks: 2 });
  });
});
