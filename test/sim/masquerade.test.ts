/** X-Webshare-SubUser: each sub-user sees only its own config, list and usage. */
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../sim';
import { call } from './call';

async function withTwoSubUsers() {
  const sim = createSimulator({ proxyCount: 100 });
  await call(sim, '/api/subuser/', {
    method: 'POST',
    body: { label: 'a', proxy_limit: 1, proxy_countries: { FR: 3 } },
  });
  await call(sim, '/api/subuser/', { method: 'POST', body: { label: 'b', proxy_limit: 0 } });
  return sim;
}
const as = (id: number | string) => ({ headers: { 'X-Webshare-SubUser': String(id) } });

describe('simulator masquerade', () => {
  it('shows each sub-user its own usage, and the account its own', async () => {
    const sim = await withTwoSubUsers();
    sim.control.setSubUserUsage(1, 500);
    sim.control.setSubUserUsage(2, 700);
    sim.control.setBandwidth({ usedBytes: 9_000 });
    expect((await call(sim, '/api/proxy/stats/', as(1))).body).toMatchObject({
      bandwidth_used: 500,
      bandwidth_limit: 1024 ** 3,
    });
    expect((await call(sim, '/api/proxy/stats/', as(2))).body).toMatchObject({
      bandwidth_used: 700,
      bandwidth_limit: 0,
      bandwidth_remaining: null,
    });
    expect((await call(sim, '/api/proxy/stats/')).body).toMatchObject({ bandwidth_used: 9_000 });
  });

  it('derives a custom list from the main list, and refresh moves it', async () => {
    const sim = await withTwoSubUsers();
    const list = async (id?: number) =>
      (await call(sim, '/api/proxy/list/', id ? as(id) : {})).body as {
        count: number;
        results: { proxy_address: string; country_code: string; username: string }[];
      };
    const mainFr = (
      (await call(sim, '/api/proxy/list/?countries=FR')).body as { results: { proxy_address: string }[] }
    ).results.map((p) => p.proxy_address);
    const a = await list(1);
    expect(a.count).toBe(3);
    const username = sim.state.subUsers.get(1)?.proxy_username as string;
    for (const proxy of a.results) {
      expect(mainFr).toContain(proxy.proxy_address);
      expect(proxy.username.startsWith(`${username}-`)).toBe(true);
    }
    await call(sim, '/api/subuser/1/refresh/', { method: 'POST' });
    const after = await list(1);
    expect(after.results.map((p) => p.proxy_address)).not.toEqual(a.results.map((p) => p.proxy_address));
    // Without a custom list, the sub-user sees the whole list with its own credentials.
    const b = await list(2);
    expect(b.count).toBe(100);
    expect((await call(sim, '/api/proxy/config/', as(2))).body).toMatchObject({
      username: sim.state.subUsers.get(2)!.proxy_username,
      password: sim.state.subUsers.get(2)!.proxy_password,
    });
  });

  it('answers 404 for an unknown sub-user and 400 where the header is not accepted', async () => {
    const sim = await withTwoSubUsers();
    for (const id of ['99', 'abc']) {
      expect((await call(sim, '/api/proxy/stats/', as(id))).body).toEqual({ detail: 'Not found.' });
    }
    for (const [path, method] of [
      ['/api/subscription/', 'GET'],
      ['/api/subuser/', 'GET'],
      ['/api/proxy/config/', 'POST'],
      ['/api/proxy/replacement/info/', 'GET'],
    ]) {
      const answer = await call(sim, path as string, {
        ...as(1),
        method,
        body: method === 'POST' ? {} : undefined,
      });
      expect(answer.status).toBe(400);
    }
    expect(sim.requests.filter((r) => r.subUser === 1)).toHaveLength(4);
  });

  it('grows sub-user usage with advance(), capped at its limit, into the account total', async () => {
    const sim = await withTwoSubUsers();
    sim.control.setGrowth({ bytesPerHour: 0, subUserBytesPerHour: 600 * 1024 ** 2 });
    const before = sim.state.bandwidth.usedBytes;
    sim.control.advance(2 * 3600);
    expect(sim.state.subUsers.get(1)?.proxy_usage).toBe(1024 ** 3); // capped at 1 GB
    expect(sim.state.subUsers.get(2)?.proxy_usage).toBe(1200 * 1024 ** 2); // unlimited
    expect(sim.state.subUsers.get(2)?.last_use).toBe('2026-11-01T02:00:00.000Z');
    expect(sim.state.bandwidth.usedBytes - before).toBe(1024 ** 3 + 1200 * 1024 ** 2);
  });
});
