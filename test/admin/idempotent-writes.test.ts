import { afterEach, describe, expect, it, vi } from 'vitest';
import { env } from 'cloudflare:test';
import type { Env } from '../../src/env';
import { call, callWithEnv, errorOf, useSimulator } from './helpers';
import { WIRE } from '../helpers/wire';

const newKey = () => `test-${crypto.randomUUID()}`;
const keyed = (key: string | undefined): Record<string, string> => (key ? { 'Idempotency-Key': key } : {});

describe('Idempotency-Key on the quota-spending admin writes', () => {
  // Stamped with the real clock, as Webshare stamps created_at: a reconcile compares it to the key's.
  const sim = useSimulator({ now: () => Date.now() });
  const sent = (method: string, path: string) =>
    sim().requests.filter((r) => r.method === method && r.path === path);
  afterEach(() => vi.restoreAllMocks());

  const refresh = (key?: string) => call('/v1/proxy-list/refresh', { method: 'POST', headers: keyed(key) });
  const replace = (key: string | undefined, ip_address: string) =>
    call('/v1/proxies/replace', { method: 'POST', json: { ip_address }, headers: keyed(key) });

  it('refreshes the proxy list once for two requests with one key, and replays the first answer', async () => {
    sim().control.setQuotas({ ondemandTotal: 5, ondemandUsed: 0 });
    const key = newKey();
    const first = await refresh(key);
    expect(first.status).toBe(200);
    const firstBody = await first.text();
    const second = await refresh(key);
    expect(second.status).toBe(200);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await second.text()).toBe(firstBody);
    expect(sent('POST', WIRE.refresh)).toHaveLength(1);
    expect(JSON.parse(firstBody)).toMatchObject({ ondemand_refreshes_used: 1 });
  });

  it('refreshes twice for two requests without a key (unchanged behaviour)', async () => {
    sim().control.setQuotas({ ondemandTotal: 5, ondemandUsed: 0 });
    expect((await refresh()).status).toBe(200);
    expect((await refresh()).status).toBe(200);
    expect(sent('POST', WIRE.refresh)).toHaveLength(2);
  });

  it('releases the key when the refresh was refused for an empty quota, so a later retry refreshes', async () => {
    const key = newKey();
    sim().control.setQuotas({ ondemandTotal: 1, ondemandUsed: 1 });
    expect((await refresh(key)).status).toBe(409);
    sim().control.setQuotas({ ondemandTotal: 2, ondemandUsed: 1 });
    const retry = await refresh(key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull();
    expect(sent('POST', WIRE.refresh)).toHaveLength(1);
  });

  it('replaces a proxy once for two requests with one key, and replays the first answer', async () => {
    const key = newKey();
    const address = sim().state.proxies.address(2);
    const first = await replace(key, address);
    expect(first.status).toBe(WIRE.replaceStatus);
    const firstBody = await first.text();
    const second = await replace(key, address);
    expect(second.status).toBe(WIRE.replaceStatus);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await second.text()).toBe(firstBody);
    expect(sent('POST', WIRE.replacements)).toHaveLength(1);
  });

  it('refuses one key reused for another replacement target with 422, replacing nothing more', async () => {
    const key = newKey();
    expect((await replace(key, sim().state.proxies.address(0))).status).toBe(WIRE.replaceStatus);
    const reused = await replace(key, sim().state.proxies.address(1));
    expect(reused.status).toBe(422);
    expect((await errorOf(reused)).code).toBe('idempotency_key_reused');
    expect(sent('POST', WIRE.replacements)).toHaveLength(1);
  });

  it('answers a concurrent duplicate replacement with 409 while the first runs', async () => {
    const key = newKey();
    const address = sim().state.proxies.address(4);
    sim().control.inject({ path: WIRE.replacements, method: 'POST', delayMs: 1_000, times: 1 });
    const first = replace(key, address);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const duplicate = await replace(key, address);
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('Retry-After')).toBe('1');
    expect((await first).status).toBe(WIRE.replaceStatus);
    expect(sent('POST', WIRE.replacements)).toHaveLength(1);
  });

  it('after a replacement whose answer was lost, the retry returns that replacement instead of replacing again', async () => {
    const key = newKey();
    const address = sim().state.proxies.address(5);
    sim().control.inject({ path: WIRE.replacements, method: 'POST', malformedJson: true, times: 1 });
    expect((await replace(key, address)).status).toBe(502);
    const retry = await replace(key, address);
    expect(retry.status).toBe(WIRE.replaceStatus);
    expect(await retry.json()).toMatchObject({ ip_address: `${address}/32` });
    expect(sent('POST', WIRE.replacements)).toHaveLength(1);
  });

  it("refreshes a sub-user's proxy list once for two requests with one key", async () => {
    const created = await call('/v1/subusers', {
      method: 'POST',
      json: { label: 'r-1', proxy_limit: 1, proxy_countries: { US: 2 } },
    });
    const { id } = (await created.json()) as { id: number };
    const key = newKey();
    const path = `/v1/subusers/${id}/refresh`;
    const first = await call(path, { method: 'POST', headers: keyed(key) });
    expect(first.status).toBe(200);
    const second = await call(path, { method: 'POST', headers: keyed(key) });
    expect(second.status).toBe(200);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await second.text()).toBe(await first.text());
    expect(sent('POST', WIRE.subuserRefresh(id))).toHaveLength(1);
  });

  it.each([
    ['/v1/proxy-list/refresh'],
    ['/v1/proxies/replace'],
    ['/v1/subusers/{id}/refresh'],
    ['/v1/subusers'],
  ])('documents the Idempotency-Key header on POST %s', async (path) => {
    const doc = (await (await call('/openapi.json')).json()) as {
      paths: Record<string, { post: { parameters?: { name: string; in: string }[] } }>;
    };
    const parameters = doc.paths[path]?.post.parameters ?? [];
    expect(parameters).toContainEqual(expect.objectContaining({ name: 'idempotency-key', in: 'header' }));
  });
});

describe('Idempotency-Key on a v2 replacement (asynchronous)', () => {
  const sim = useSimulator({ apiVersion: 'v2', now: () => Date.now() });
  const replace = (key: string, ip_address: string) =>
    callWithEnv(
      '/v1/proxies/replace',
      { WEBSHARE_API_VERSION: 'v2' },
      {
        method: 'POST',
        json: { ip_address },
        headers: keyed(key),
      },
    );
  const posts = () =>
    sim().requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/proxy/replace/');

  it('after an accepted replacement whose answer was lost, the retry finds the unfinished request and follows it', async () => {
    const key = newKey();
    const address = sim().state.proxies.address(5);
    sim().control.inject({ path: '/api/v3/proxy/replace/', method: 'POST', malformedJson: true, times: 1 });
    expect((await replace(key, address)).status).toBe(502);

    const retry = await replace(key, address);
    expect(retry.status).toBe(202);
    const body = (await retry.json()) as { id: number; state: string; ip_address: string };
    expect(body).toMatchObject({ ip_address: `${address}/32`, state: 'validating' });
    expect(posts()).toHaveLength(1);
    // Followed like a replacement this worker started: the poller announces it once it is done.
    const tracked = await (env as unknown as Env).STATE.list({ prefix: `replacement:v2:${body.id}` });
    expect(tracked.keys).toHaveLength(1);
  });

  it('finds a lost replacement that has finished since, with its new address', async () => {
    const key = newKey();
    const address = sim().state.proxies.address(6);
    sim().control.inject({ path: '/api/v3/proxy/replace/', method: 'POST', malformedJson: true, times: 1 });
    expect((await replace(key, address)).status).toBe(502);
    const [request] = sim().state.v2Replacements.values();
    // Webshare carries it out meanwhile (the simulator does so when the request is read).
    await sim().fetch(
      new Request(`https://webshare.sim/api/v3/proxy/replace/${request!.id}/`, {
        headers: { Authorization: 'Token test-api-key-9f8e7d6c' },
      }),
    );

    const retry = await replace(key, address);
    expect(retry.status).toBe(201);
    const body = (await retry.json()) as { state: string; new_ip_address: string | null };
    expect(body.state).toBe('completed');
    expect(body.new_ip_address).toBeTruthy();
    expect(posts()).toHaveLength(1);
  });

  it('replaces again when no request for that address was made since the key was first used', async () => {
    const key = newKey();
    const address = sim().state.proxies.address(7);
    // Refused before it reached Webshare's replace endpoint: nothing was made, so the retry makes it.
    sim().control.inject({ path: '/api/v3/proxy/replace/', method: 'POST', status: 503, times: 1 });
    expect((await replace(key, address)).status).toBe(503);
    expect((await replace(key, address)).status).toBe(202);
    expect(sim().state.v2Replacements.size).toBe(1);
  });
});
