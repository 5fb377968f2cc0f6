/**
 * The simulator's two dialects over one account: each answers only its own paths when asked to,
 * masquerades with its own header, throttles at its own limits, and faults apply to either.
 */
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../sim';

const KEY = 'test-api-key-9f8e7d6c';

function request(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Request(`https://webshare.sim${path}`, {
    method,
    headers: { Authorization: `Token ${KEY}`, ...headers },
  });
}

describe('the simulator dialects', () => {
  it.each([
    ['v1', '/api/v2/subscription/', 404, '/api/subscription/', 200],
    ['v2', '/api/subscription/', 404, '/api/v2/subscription/', 200],
    ['both', '/api/subscription/', 200, '/api/v2/subscription/', 200],
  ] as const)('speaking %s answers %s with %i and %s with %i', async (api, a, aStatus, b, bStatus) => {
    const sim = createSimulator({ apiVersion: api });
    expect((await sim.fetch(request(a))).status).toBe(aStatus);
    expect((await sim.fetch(request(b))).status).toBe(bStatus);
  });

  it('shares one account: a v2 refresh spends the quota v1 reports', async () => {
    const sim = createSimulator();
    expect((await sim.fetch(request('/api/v2/proxy/list/refresh/', {}, 'POST'))).status).toBe(204);
    const info = (await (await sim.fetch(request('/api/proxy/replacement/info/'))).json()) as {
      ondemand_refreshes_used: number;
    };
    expect(info.ondemand_refreshes_used).toBe(1);
  });

  it('masquerades with X-Subuser on v2 and refuses v1’s header there', async () => {
    const sim = createSimulator();
    const created = await sim.fetch(
      new Request('https://webshare.sim/api/v2/subuser/', {
        method: 'POST',
        headers: { Authorization: `Token ${KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ label: 'x', proxy_limit: 1 }),
      }),
    );
    const { id } = (await created.json()) as { id: number };
    const ok = await sim.fetch(request('/api/v3/proxy/list/status?plan_id=1', { 'X-Subuser': String(id) }));
    expect(((await ok.json()) as { username: string }).username).toBe(
      sim.state.subUsers.get(id)!.proxy_username,
    );
    expect(sim.requests.at(-1)?.subUser).toBe(id);
    const refused = await sim.fetch(request('/api/v3/proxy/list/status?plan_id=1', { 'X-Subuser': '999' }));
    expect(refused.status).toBe(404);
  });

  it('requires mode on the v2 proxy list, in the live {message, code} shape', async () => {
    const sim = createSimulator({ apiVersion: 'v2' });
    const response = await sim.fetch(request('/api/v2/proxy/list/'));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      mode: [{ message: 'This field is required.', code: 'required' }],
    });
  });

  it('throttles v2 general requests at 240 a minute, not 180', async () => {
    const sim = createSimulator({ apiVersion: 'v2' });
    const statuses: number[] = [];
    for (let i = 0; i < 241; i++) statuses.push((await sim.fetch(request('/api/v2/subscription/'))).status);
    expect(statuses.slice(0, 240).every((s) => s === 200)).toBe(true);
    expect(statuses[240]).toBe(429);
  });

  it('injects faults on v2 paths too', async () => {
    const sim = createSimulator({ apiVersion: 'v2' });
    sim.control.inject({ path: '/api/v2/subscription/', status: 503, times: 1 });
    expect((await sim.fetch(request('/api/v2/subscription/'))).status).toBe(503);
    expect((await sim.fetch(request('/api/v2/subscription/'))).status).toBe(200);
  });
});
