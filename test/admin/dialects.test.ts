/**
 * The admin API end to end on each Webshare dialect (the simulator speaking only that one): refresh,
 * replace (201 on v1; 202 and followed to completion by the poller on v2), sub-user CRUD and the
 * masquerade views. Route paths and shapes are the same on both.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../sim';
import { runTick } from '../../src/cycle/tick';
import type { Env } from '../../src/env';
import { KV_PREFIX } from '../../src/storage/keys';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { callWithEnv, testEnv } from './helpers';

describe.each(['v1', 'v2'] as const)('the admin API on %s', (dialect) => {
  let sim: Simulator;
  let slack: RecordingSink;
  const env = { WEBSHARE_API_VERSION: dialect, SLACK_WEBHOOK_URL: 'https://slack.sink/hook' };
  beforeEach(() => {
    sim = createSimulator({ apiVersion: dialect });
    slack = new RecordingSink();
    routeOutbound({ 'webshare.sim': sim.fetch, 'slack.sink': slack.fetch });
  });
  const call = (path: string, options: Parameters<typeof callWithEnv>[2] = {}) =>
    callWithEnv(path, env, options);

  it('shows the authorised IPs in the proxy config, reading them once', async () => {
    sim.state.config.authorized_ips = ['198.51.100.7', '203.0.113.9'];
    const before = sim.requests.length;
    const response = await call('/v1/proxy-config');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { authorized_ips: string[] };
    expect([...body.authorized_ips].sort()).toEqual(['198.51.100.7', '203.0.113.9']);
    const listings = sim.requests.slice(before).filter((r) => r.path.includes('ipauthorization'));
    expect(listings.length).toBeLessThanOrEqual(1);
  });

  it('refreshes the proxy list and answers with the quotas afterwards', async () => {
    const response = await call('/v1/proxy-list/refresh', { method: 'POST' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ondemand_refreshes_available: number };
    expect(body.ondemand_refreshes_available).toBe(sim.state.quotas.ondemandTotal - 1);
    expect(sim.state.quotas.ondemandUsed).toBe(1);
  });

  it('replaces a proxy: done at once on v1 (201); on v2 accepted (202) and announced once a tick sees it done', async () => {
    const address = sim.state.proxies.address(3);
    const response = await call('/v1/proxies/replace', { method: 'POST', json: { ip_address: address } });
    const body = (await response.json()) as Record<string, unknown>;
    if (dialect === 'v1') {
      expect(response.status).toBe(201);
      expect(body).toMatchObject({ ip_address: `${address}/32`, new_ip_address: expect.any(String) });
      return;
    }
    expect(response.status).toBe(202);
    expect(body).toMatchObject({ ip_address: `${address}/32`, state: 'validating', id: expect.any(Number) });
    const workerEnv = { ...testEnv, ...env } as Env;
    const listed = await workerEnv.STATE.list({ prefix: KV_PREFIX.trackedReplacement });
    expect(listed.keys).toHaveLength(1);

    const nowMs = Date.now();
    await runTick({ env: workerEnv, scheduledTime: nowMs, nowMs });
    const newAddress = sim.state.replacements.at(-1)?.new_ip_address;
    expect(newAddress).toBeTruthy();
    expect(slack.requests.map((r) => r.body).join('\n')).toContain(newAddress!);
    expect((await workerEnv.STATE.list({ prefix: KV_PREFIX.trackedReplacement })).keys).toHaveLength(0);
    const history = (await (await call('/v1/replacements')).json()) as { results: unknown[] };
    expect(history.results).toEqual([
      expect.objectContaining({ ip_address: `${address}/32`, new_ip_address: newAddress }),
    ]);
  });

  it('creates, reads, lists, updates, refreshes and deletes a sub-user, with credentials where one is read', async () => {
    const created = await call('/v1/subusers', {
      method: 'POST',
      json: { label: 'acme', proxy_limit: 3, proxy_countries: { US: 2 } },
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: number; proxy_username: string; proxy_password: string };
    const atWebshare = sim.state.subUsers.get(user.id)!;
    expect(user).toMatchObject({
      proxy_username: atWebshare.proxy_username,
      proxy_password: atWebshare.proxy_password,
    });

    const read = (await (await call(`/v1/subusers/${user.id}`)).json()) as { proxy_password: string };
    expect(read.proxy_password).toBe(atWebshare.proxy_password);

    const list = (await (await call('/v1/subusers')).json()) as { results: { proxy_password: unknown }[] };
    expect(list.results).toHaveLength(1);
    // v2 lists carry no credentials (one masquerade read per sub-user would be needed).
    expect(list.results[0]!.proxy_password).toBe(dialect === 'v1' ? atWebshare.proxy_password : null);

    const patched = await call(`/v1/subusers/${user.id}`, { method: 'PATCH', json: { proxy_limit: 7 } });
    expect(patched.status).toBe(200);
    expect(sim.state.subUsers.get(user.id)!.proxy_limit).toBe(7);

    const refreshed = await call(`/v1/subusers/${user.id}/refresh`, { method: 'POST' });
    expect(refreshed.status).toBe(200);

    const deleted = await call(`/v1/subusers/${user.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(sim.state.subUsers.has(user.id)).toBe(false);
  });

  it('reads as the sub-user: its stats, its proxy config with its own credentials, its proxies', async () => {
    const created = await call('/v1/subusers', {
      method: 'POST',
      json: { label: 'views', proxy_limit: 2, proxy_countries: { US: 3 } },
    });
    const { id } = (await created.json()) as { id: number };
    const stats = await call(`/v1/subusers/${id}/stats`);
    expect(stats.status).toBe(200);
    expect(await stats.json()).toHaveProperty('bandwidth_used');
    const statsPath = dialect === 'v1' ? '/api/proxy/stats/' : '/api/v2/stats/aggregate/';
    expect(sim.requests.find((r) => r.path === statsPath)?.subUser).toBe(id);

    const config = (await (await call(`/v1/subusers/${id}/proxy-config`)).json()) as { password: string };
    expect(config.password).toBe(sim.state.subUsers.get(id)!.proxy_password);

    const page = (await (await call(`/v1/subusers/${id}/proxies?page=1`)).json()) as { count: number };
    expect(page.count).toBe(3);
  });
});

describe('the admin API with WEBSHARE_API_VERSION=auto', () => {
  it('probes once against a v2-only server and keeps using v2 for later requests', async () => {
    const sim = createSimulator({ apiVersion: 'v2' });
    routeOutbound({ 'webshare.sim': sim.fetch });
    const env = { WEBSHARE_API_VERSION: 'auto' };
    await testEnv.STATE.delete('webshare:dialect');
    expect((await callWithEnv('/v1/replacement-info', env)).status).toBe(200);
    expect((await callWithEnv('/v1/subscription', env)).status).toBe(200);
    const probes = sim.requests.filter((r) => r.path === '/api/v2/subscription/');
    // The probe, then the subscription read of the second request (a new client per request).
    expect(probes.length).toBeLessThanOrEqual(3);
    expect(sim.requests.every((r) => r.path.startsWith('/api/v'))).toBe(true);
  });
});
