import { describe, expect, it } from 'vitest';
import { call, errorOf, useSimulator } from './helpers';

describe('POST /v1/proxy-list/refresh', () => {
  const sim = useSimulator();

  it('refreshes the whole list and answers with the quotas afterwards', async () => {
    sim().control.setQuotas({ ondemandTotal: 3, ondemandUsed: 1 });
    const before = sim().state.proxies.address(0);
    const response = await call('/v1/proxy-list/refresh', { method: 'POST' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, number>;
    expect(body.ondemand_refreshes_used).toBe(2);
    expect(body.ondemand_refreshes_available).toBe(1);
    expect(sim().state.proxies.address(0)).not.toBe(before);
  });

  it('refuses with 409 naming the quota when no on-demand refresh is left, without calling the refresh', async () => {
    sim().control.setQuotas({ ondemandTotal: 2, ondemandUsed: 2 });
    const response = await call('/v1/proxy-list/refresh', { method: 'POST' });
    expect(response.status).toBe(409);
    const error = await errorOf(response);
    expect(error.code).toBe('quota_exhausted');
    expect(error.message).toContain('ondemand_refreshes_available');
    expect(sim().requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/proxy/replacement/info/']);
  });
});

describe('POST /v1/proxies/replace and GET /v1/replacements', () => {
  const sim = useSimulator();

  it('replaces one proxy by address (as /32) and lists the replacement', async () => {
    const address = sim().state.proxies.address(3);
    const response = await call('/v1/proxies/replace', { method: 'POST', json: { ip_address: address } });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { ip_address: string; new_ip_address: string };
    expect(created.ip_address).toBe(`${address}/32`);
    expect(created.new_ip_address).toBeTruthy();
    expect(sim().state.proxies.address(3)).not.toBe(address);

    const list = await call('/v1/replacements');
    expect(list.status).toBe(200);
    const body = (await list.json()) as { count: number; results: { ip_address: string }[] };
    expect(body.count).toBe(1);
    expect(body.results[0]?.ip_address).toBe(`${address}/32`);
  });

  it.each([['not-an-ip'], ['10.0.0.1/33'], ['300.1.1.1'], ['']])(
    'rejects ip_address %j with 400 naming the field, before calling Webshare',
    async (ip_address) => {
      const response = await call('/v1/proxies/replace', { method: 'POST', json: { ip_address } });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.message).toContain('ip_address');
      expect(error.details).toEqual([expect.objectContaining({ field: 'ip_address' })]);
      expect(sim().requests).toHaveLength(0);
    },
  );

  it('rejects a missing ip_address with 400', async () => {
    const response = await call('/v1/proxies/replace', { method: 'POST', json: {} });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain('ip_address');
  });

  it("passes on Webshare's field message when no proxy matches (422)", async () => {
    const response = await call('/v1/proxies/replace', {
      method: 'POST',
      json: { ip_address: '192.0.2.0/24' },
    });
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe('webshare_rejected');
    expect(JSON.stringify(error.details)).toContain('No proxy in your proxy list matches');
  });
});
