/** Quotas run out, ranges use one replacement per proxy, and a new period resets them. */
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../sim';
import { call } from './call';

const replace = (sim: ReturnType<typeof createSimulator>, ip: string) =>
  call(sim, '/api/proxy/replacement/', { method: 'POST', body: { ip_address: ip } });

describe('simulator quotas', () => {
  it('runs out of proxy replacements', async () => {
    const sim = createSimulator({ proxyCount: 10, proxyReplacements: 2 });
    expect((await replace(sim, '203.0.113.1')).status).toBe(201);
    expect((await replace(sim, '203.0.113.2/32')).status).toBe(201);
    const refused = await replace(sim, '203.0.113.3');
    expect(refused).toMatchObject({
      status: 400,
      body: { detail: 'You have no proxy replacements available.' },
    });
    const info = (await call(sim, '/api/proxy/replacement/info/')).body;
    expect(info).toMatchObject({ proxy_replacements_used: 2, proxy_replacements_available: 0 });
    expect((await call(sim, '/api/proxy/replacement/')).body).toHaveLength(2);
  });

  it('refuses a range that needs more replacements than are left, and invalid input', async () => {
    const sim = createSimulator({ proxyCount: 10, proxyReplacements: 3 });
    const tooMany = await replace(sim, '203.0.113.0/29'); // .1 to .7
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ detail: expect.stringMatching(/matches 7 proxies but 3/) });
    for (const bad of ['300.1.1.1', '203.0.113.1/33', 'proxy', '']) {
      expect((await replace(sim, bad)).body).toHaveProperty('ip_address');
    }
    expect((await replace(sim, '2001:db8::/64')).body).toEqual({
      ip_address: ['No proxy in your proxy list matches this IP address or range.'],
    });
    expect(sim.state.quotas.replacementsUsed).toBe(0);
  });

  it('gives replaced proxies new unique addresses, valid again', async () => {
    const sim = createSimulator({ proxyCount: 10 });
    sim.control.invalidate(['203.0.113.4']);
    const answer = await replace(sim, '203.0.113.4');
    const newAddress = (answer.body as { new_ip_address: string }).new_ip_address;
    const list = (await call(sim, '/api/proxy/list/')).body as {
      results: { proxy_address: string; valid: boolean }[];
    };
    const addresses = list.results.map((p) => p.proxy_address);
    expect(new Set(addresses).size).toBe(10);
    expect(list.results.find((p) => p.proxy_address === newAddress)?.valid).toBe(true);
  });

  it('runs out of on-demand refreshes; setQuotas gives more', async () => {
    const sim = createSimulator({ ondemandRefreshes: 1 });
    const refresh = () => call(sim, '/api/proxy/replacement/info/refresh/', { method: 'POST' });
    expect((await refresh()).status).toBe(200);
    expect((await refresh()).status).toBe(400);
    sim.control.setQuotas({ ondemandAvailable: 2 });
    expect((await call(sim, '/api/subscription/')).body).toMatchObject({
      proxy_list_rotate_on_demand: 3,
      proxy_list_rotate_on_demand_used: 1,
      proxy_list_rotate_on_demand_available: 2,
    });
    expect((await refresh()).status).toBe(200);
  });

  it('resets bandwidth and monthly quotas when the period ends', async () => {
    const sim = createSimulator({ proxyReplacements: 1 });
    await replace(sim, '203.0.113.1');
    sim.control.setSubscriptionEnd('2026-11-02T00:00:00Z');
    sim.control.advance(86_400);
    expect(sim.state.subscription.start_date).toBe('2026-11-02T00:00:00.000Z');
    expect(sim.state.quotas.replacementsUsed).toBe(0);
    expect(sim.state.bandwidth.usedBytes).toBe(0);
  });
});
