/** Scenarios over time and state: determinism, growth, projection, validity, resizing, reset. */
import { describe, expect, it } from 'vitest';
import { createSimulator, GIB_BYTES } from '../../sim';
import { call } from './call';

const firstPage = async (sim: ReturnType<typeof createSimulator>) =>
  ((await call(sim, '/api/proxy/list/')).body as { results: Record<string, unknown>[] }).results;

describe('simulator scenarios', () => {
  it('generates the same proxies from the same seed, and others from another', async () => {
    const [a, b, c] = [
      createSimulator({ seed: 7 }),
      createSimulator({ seed: 7 }),
      createSimulator({ seed: 8 }),
    ];
    expect(await firstPage(a)).toEqual(await firstPage(b));
    expect(await firstPage(a)).not.toEqual(await firstPage(c));
  });

  it('grows bandwidth and requests with advance(), and projects usage to the period end', async () => {
    const sim = createSimulator();
    sim.control.setBandwidth({ usedBytes: 12 * GIB_BYTES }); // 12 days into a 31-day period
    sim.control.setRequests({ total: 0, failed: 0, failureStatusCodes: {}, countries: {} });
    sim.control.setGrowth({ bytesPerHour: GIB_BYTES, requestsPerHour: 1000, failureRatio: 0.1 });
    const before = (await call(sim, '/api/proxy/stats/')).body as Record<string, number>;
    expect(before.bandwidth_projected).toBe(31 * GIB_BYTES);
    sim.control.advance(3 * 3600);
    const after = (await call(sim, '/api/proxy/stats/')).body as Record<string, unknown>;
    expect(after).toMatchObject({
      bandwidth_used: 15 * GIB_BYTES,
      requests_total: 3000,
      requests_failed: 300,
      requests_successful: 2700,
      request_failure_status_code: { '502': 300 },
      requests_countries: { US: 1500, DE: 600, FR: 600, GB: 300 },
    });
    sim.control.setBandwidth({ projectedBytes: 123 });
    expect((await call(sim, '/api/proxy/stats/')).body).toMatchObject({ bandwidth_projected: 123 });
  });

  it('stops bandwidth at the limit; 0 means unlimited', () => {
    const sim = createSimulator({ bandwidthLimitBytes: 11 * GIB_BYTES });
    sim.control.setGrowth({ bytesPerHour: GIB_BYTES });
    sim.control.advance(5 * 3600);
    expect(sim.state.bandwidth.usedBytes).toBe(11 * GIB_BYTES);
    sim.control.setBandwidth({ limitBytes: 0 });
    sim.control.advance(3600);
    expect(sim.state.bandwidth.usedBytes).toBe(12 * GIB_BYTES);
  });

  it('invalidates chosen or counted proxies (by country) and recovers them', async () => {
    const sim = createSimulator({ proxyCount: 100 });
    const de = sim.control.invalidate(5, { country: 'de' });
    expect(de).toHaveLength(5);
    const invalid = async () => {
      const seen: Record<string, unknown>[] = [];
      for (let page = 1; page <= 4; page++) {
        seen.push(
          ...(
            (await call(sim, `/api/proxy/list/?page=${page}`)).body as { results: Record<string, unknown>[] }
          ).results,
        );
      }
      return seen.filter((p) => p.valid === false);
    };
    const found = await invalid();
    expect(found.map((p) => p.proxy_address).sort()).toEqual([...de].sort());
    expect(found.every((p) => p.country_code === 'DE')).toBe(true);
    expect(sim.control.recover(2)).toHaveLength(2);
    expect(sim.control.recover([de[4] as string])).toEqual([de[4]]);
    expect(sim.control.recover('all')).toHaveLength(2);
    expect(() => sim.control.invalidate(['192.0.2.250'])).toThrow(/no proxy/);
  });

  it('resizes the list, keeping existing proxies', async () => {
    const sim = createSimulator({ proxyCount: 10 });
    const before = await firstPage(sim);
    sim.control.setProxyCount(30);
    expect((await firstPage(sim)).slice(0, 10)).toEqual(before);
    sim.control.setProxyCount(4);
    expect((await call(sim, '/api/subscription/')).body).toMatchObject({ proxy_count: 4 });
  });

  it('resets to the state it was created with', async () => {
    const sim = createSimulator({ proxyCount: 10 });
    const before = await firstPage(sim);
    await call(sim, '/api/subuser/', { method: 'POST', body: { label: 'x', proxy_limit: 1 } });
    sim.control.invalidate(3);
    sim.control.advance(3600);
    sim.control.revokeKey();
    sim.control.inject({ path: '/api/*', status: 500 });
    sim.control.reset();
    expect(sim.requests).toEqual([]);
    expect(await firstPage(sim)).toEqual(before);
    expect(sim.state.subUsers.size).toBe(0);
    expect(sim.control.now()).toBe(Date.parse('2026-11-01T00:00:00Z'));
  });

  it('follows an injected clock', async () => {
    let now = Date.parse('2027-01-01T00:00:00Z');
    const sim = createSimulator({ now: () => now });
    now += 5_000;
    await call(sim, '/api/profile/');
    expect(sim.requests[0]?.time).toBe(Date.parse('2027-01-01T00:00:05Z'));
  });
});

describe('simulator HTTP control surface', () => {
  const post = (sim: ReturnType<typeof createSimulator>, path: string, body?: unknown) =>
    call(sim, path, { method: 'POST', body: body ?? {}, auth: false });

  it('mirrors SimControl under /__sim/* without an API key', async () => {
    const sim = createSimulator({ proxyCount: 20 });
    const invalidated = await post(sim, '/__sim/invalidate', { count: 3 });
    expect((invalidated.body as { result: { addresses: string[] } }).result.addresses).toHaveLength(3);
    await post(sim, '/__sim/bandwidth', { usedBytes: 42 });
    await post(sim, '/__sim/quotas', { replacementsAvailable: 0 });
    await post(sim, '/__sim/faults', { path: '/api/profile/', status: 503, times: 1 });
    await post(sim, '/__sim/advance', { seconds: 60 });
    const state = (await call(sim, '/__sim/state', { auth: false })).body as Record<string, unknown>;
    expect(state).toMatchObject({
      now: '2026-11-01T00:01:00.000Z',
      invalidCount: 3,
      quotas: { replacementsUsed: 10 },
      faults: [{ path: '/api/profile/', status: 503, times: 1 }],
    });
    expect(JSON.stringify(state)).not.toContain('test-api-key');
    expect((await call(sim, '/api/profile/')).status).toBe(503);
    const log = (await call(sim, '/__sim/requests', { auth: false })).body as { status: number }[];
    expect(log.map((r) => r.status)).toEqual([503]);
    await post(sim, '/__sim/recover', { all: true });
    await call(sim, '/__sim/api-key', { method: 'DELETE', auth: false });
    expect((await call(sim, '/api/profile/')).status).toBe(401);
    await post(sim, '/__sim/reset');
    expect((await call(sim, '/api/profile/')).status).toBe(200);
  });

  it('answers 400 with the reason for a bad control body', async () => {
    const sim = createSimulator();
    const answer = await post(sim, '/__sim/advance', { seconds: 'soon' });
    expect(answer).toMatchObject({ status: 400, body: { ok: false, error: 'seconds must be a number' } });
  });
});

describe('simulator automatic refresh and sub-user periods', () => {
  it('refreshes the list when an automatic refresh falls due', async () => {
    const sim = createSimulator({ proxyCount: 4 });
    sim.control.setAutoRefresh({ frequencySeconds: 3600 });
    const before = (await firstPage(sim)).map((p) => p.proxy_address);
    sim.control.advance(1800);
    expect((await firstPage(sim)).map((p) => p.proxy_address)).toEqual(before);
    sim.control.advance(1800);
    const after = (await firstPage(sim)).map((p) => p.proxy_address);
    expect(after.some((address) => before.includes(address))).toBe(false);
    expect((await call(sim, '/api/proxy/replacement/info/')).body).toMatchObject({
      automatic_refresh_frequency: 3600,
      automatic_refresh_percentage: 100,
      automatic_refresh_last_at: '2026-11-01T01:00:00.000Z',
      automatic_refresh_next_at: '2026-11-01T02:00:00.000Z',
    });
    expect((await call(sim, '/api/subscription/')).body).toMatchObject({
      rotate_frequency: 3600,
      next_rotate_at: '2026-11-01T02:00:00.000Z',
    });
  });

  it('resets a sub-user’s usage at its bandwidth_use_end_date', async () => {
    const sim = createSimulator();
    await call(sim, '/api/subuser/', { method: 'POST', body: { label: 'x', proxy_limit: 1 } });
    sim.control.setSubUserUsage(1, 1000);
    sim.control.advance(30 * 86_400);
    expect(sim.state.subUsers.get(1)).toMatchObject({
      proxy_usage: 0,
      bandwidth_use_start_date: '2026-12-01T00:00:00.000Z',
    });
  });
});
