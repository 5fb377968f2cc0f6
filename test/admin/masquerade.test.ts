import { describe, expect, it } from 'vitest';
import { call, errorOf, useSimulator } from './helpers';
import { WIRE } from '../helpers/wire';

async function createSubUser(body: Record<string, unknown>): Promise<number> {
  const response = await call('/v1/subusers', { method: 'POST', json: body });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: number }).id;
}

describe('masquerade reads (as a sub-user)', () => {
  const sim = useSimulator();

  it("returns the sub-user's stats, sent with X-Webshare-SubUser", async () => {
    const id = await createSubUser({ label: 'stats', proxy_limit: 2 });
    const response = await call(`/v1/subusers/${id}/stats`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toHaveProperty('bandwidth_used');
    expect(body).toHaveProperty('requests_error_reasons');
    expect(sim().requests.at(-1)).toMatchObject({ path: WIRE.stats, subUser: id });
  });

  it("returns the sub-user's proxy config with its own credentials", async () => {
    const id = await createSubUser({ label: 'config', proxy_limit: 2, proxy_countries: { US: 2 } });
    const response = await call(`/v1/subusers/${id}/proxy-config`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { username: string; password: string };
    const simUser = sim().state.subUsers.get(id);
    expect(body.username).toBe(simUser?.proxy_username);
    expect(body.password).toBe(simUser?.proxy_password);
  });

  it("returns one page of the sub-user's proxies in Webshare's page shape, filtered by country", async () => {
    const id = await createSubUser({ label: 'list', proxy_limit: 2, proxy_countries: { US: 3, FR: 2 } });
    const response = await call(`/v1/subusers/${id}/proxies?page=1&countries=US,FR`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      count: number;
      next: unknown;
      results: { country_code: string }[];
    };
    expect(body.count).toBe(5);
    expect(body).toHaveProperty('next');
    expect(new Set(body.results.map((p) => p.country_code))).toEqual(new Set(['US', 'FR']));
    expect(sim().requests.at(-1)).toMatchObject({
      path: WIRE.proxyList,
      subUser: id,
      query: { page: '1', ...WIRE.countriesQuery(['US', 'FR']) },
    });
  });

  it.each([
    ['page=0', 'page'],
    ['page=x', 'page'],
    ['countries=USA', 'countries'],
    ['countries=', 'countries'],
  ])('rejects ?%s with 400 naming %s', async (query, field) => {
    const response = await call(`/v1/subusers/1/proxies?${query}`);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain(field);
    expect(sim().requests).toHaveLength(0);
  });

  it('answers 404 for a sub-user Webshare does not know', async () => {
    const response = await call('/v1/subusers/424242/stats');
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('not_found');
  });
});
