/** A 100,000-proxy account: created and paged quickly, every address unique, filters still exact. */
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../sim';
import { call } from './call';

const PROXIES = 100_000;

describe('simulator at 100,000 proxies', () => {
  it('creates the account and serves first, middle and last pages fast', async () => {
    const started = performance.now();
    const sim = createSimulator({ proxyCount: PROXIES, pageSize: 100, enforceRateLimits: false });
    for (const page of [1, 500, 1000]) {
      const answer = await call(sim, `/api/proxy/list/?page=${page}`);
      expect(answer.status).toBe(200);
      expect((answer.body as { results: unknown[] }).results).toHaveLength(100);
    }
    const filtered = await call(sim, '/api/proxy/list/?countries=GB&page=100');
    expect(filtered.body).toMatchObject({ count: 10_000, next: null });
    // workerd freezes timers between I/O; performance.now() still advances across awaited fetches.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect((await call(sim, '/api/proxy/list/?page=1001')).status).toBe(404);
  });

  it('gives every proxy a unique address, also after replacements and growth', () => {
    const sim = createSimulator({ proxyCount: PROXIES });
    sim.state.proxies.replace(5);
    sim.control.setProxyCount(PROXIES + 1_000);
    const seen = new Set<string>();
    for (let i = 0; i < sim.state.proxies.count; i++) seen.add(sim.state.proxies.address(i));
    expect(seen.size).toBe(PROXIES + 1_000);
    expect(sim.state.proxies.countsByCountry()).toEqual({ US: 50_500, DE: 20_200, FR: 20_200, GB: 10_100 });
  });

  it('walks all pages of a sub-user list cut from the big list', async () => {
    const sim = createSimulator({ proxyCount: PROXIES, enforceRateLimits: false });
    await call(sim, '/api/subuser/', {
      method: 'POST',
      body: { label: 'big', proxy_limit: 0, proxy_countries: { ZZ: 250 } },
    });
    const addresses = new Set<string>();
    for (let page = 1; page <= 10; page++) {
      const answer = await call(sim, `/api/proxy/list/?page=${page}`, {
        headers: { 'X-Webshare-SubUser': '1' },
      });
      for (const proxy of (answer.body as { results: { proxy_address: string }[] }).results)
        addresses.add(proxy.proxy_address);
    }
    expect(addresses.size).toBe(250);
  });
});
