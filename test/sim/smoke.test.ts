import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../sim';
import { WebshareClient } from '../../src/webshare/client';

describe('simulator smoke', () => {
  it('serves the core endpoints to the client', async () => {
    const sim = createSimulator();
    const client = new WebshareClient({
      apiKey: 'test-api-key-9f8e7d6c',
      baseUrl: 'https://webshare.sim',
      fetch: (i, init) => sim.fetch(new Request(i, init)),
    });
    const sub = await client.getSubscription();
    expect(sub.proxy_count).toBe(100);
    const stats = await client.getProxyStats();
    expect(stats.bandwidth_used).toBeGreaterThan(0);
    const pages = [];
    for await (const page of client.proxyPages()) pages.push(page);
    expect(pages).toHaveLength(4);
    const u = await client.createSubUser({ label: 'a', proxy_limit: 1 });
    expect(u.id).toBe(1);
    expect((await client.asSubUser(1).getProxyStats()).bandwidth_used).toBe(0);
    const info = await client.getReplacementInfo();
    expect(info.ondemand_refreshes_available).toBe(3);
    const addr = pages[0]!.results[0]!.proxy_address;
    const r = await client.createReplacement(addr);
    expect(r.ip_address).toBe(`${addr}/32`);
    expect(await client.listReplacements()).toHaveLength(1);
    await client.getProfile();
    await client.getProxyConfig();
    await client.resetProxyPassword();
    await client.refreshProxyList();
    await client.deleteSubUser(1);
  });
});
