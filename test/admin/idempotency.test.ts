import { runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, callWithEnv, errorOf, testEnv, useSimulator } from './helpers';

interface SubUserJson {
  id: number;
  label: string;
  proxy_password: string;
}

const newKey = () => `test-${crypto.randomUUID()}`;

function create(key: string | undefined, json: unknown): Promise<Response> {
  return call('/v1/subusers', { method: 'POST', json, headers: key ? { 'Idempotency-Key': key } : {} });
}

describe('POST /v1/subusers with an Idempotency-Key', () => {
  const sim = useSimulator();
  const creates = () => sim().requests.filter((r) => r.method === 'POST' && r.path === '/api/subuser/');

  it('replays the stored result for the same key and body, creating one sub-user', async () => {
    const key = newKey();
    const first = await create(key, { label: 'c-1', proxy_limit: 5 });
    expect(first.status).toBe(201);
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    const created = (await first.json()) as SubUserJson;

    // Same body, keys in another order: the same request.
    const second = await create(key, { proxy_limit: 5, label: 'c-1' });
    expect(second.status).toBe(201);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(second.headers.get('X-Request-Id')).toBeTruthy();
    expect(await second.json()).toEqual(created);

    expect(creates()).toHaveLength(1);
    expect(sim().state.subUsers.size).toBe(1);
  });

  it('refuses the same key with a different body (422) and creates nothing more', async () => {
    const key = newKey();
    expect((await create(key, { label: 'c-2', proxy_limit: 5 })).status).toBe(201);
    const reused = await create(key, { label: 'c-2', proxy_limit: 6 });
    expect(reused.status).toBe(422);
    expect((await errorOf(reused)).code).toBe('idempotency_key_reused');
    expect(sim().state.subUsers.size).toBe(1);
  });

  it('answers a concurrent duplicate with 409 while the first runs, then replays', async () => {
    const key = newKey();
    const body = { label: 'c-3', proxy_limit: 1 };
    sim().control.inject({ path: '/api/subuser/', method: 'POST', delayMs: 1_500, times: 1 });
    const first = create(key, body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const duplicate = await create(key, body);
    expect(duplicate.status).toBe(409);
    expect((await errorOf(duplicate)).code).toBe('idempotency_in_progress');
    expect(duplicate.headers.get('Retry-After')).toBe('1');

    const done = await first;
    expect(done.status).toBe(201);
    const after = await create(key, body);
    expect(after.status).toBe(201);
    expect(after.headers.get('Idempotent-Replayed')).toBe('true');
    expect(creates()).toHaveLength(1);
  });

  it('releases the key after a failure that created nothing, so the retry creates', async () => {
    const key = newKey();
    const body = { label: 'c-4', proxy_limit: 1 };
    sim().control.inject({
      path: '/api/subuser/',
      method: 'POST',
      status: 400,
      body: '{"label":["Nope."]}',
      times: 1,
    });
    expect((await create(key, body)).status).toBe(422);
    const retry = await create(key, body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull();
    expect(sim().state.subUsers.size).toBe(1);
  });

  it('after an answer that was lost (Webshare created it, we could not read it), the retry returns that sub-user instead of a second', async () => {
    const key = newKey();
    const body = { label: 'c-5', proxy_limit: 2, max_thread_count: 10 };
    sim().control.inject({ path: '/api/subuser/', method: 'POST', malformedJson: true, times: 1 });
    const lost = await create(key, body);
    expect(lost.status).toBe(502);
    expect(sim().state.subUsers.size).toBe(1);

    const retry = await create(key, body);
    expect(retry.status).toBe(201);
    const found = (await retry.json()) as SubUserJson;
    expect(found.id).toBe([...sim().state.subUsers.keys()][0]);
    expect(found.proxy_password).toBe(sim().state.subUsers.get(found.id)?.proxy_password);
    expect(sim().state.subUsers.size).toBe(1);
    expect(creates()).toHaveLength(1);

    const again = await create(key, body);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(((await again.json()) as SubUserJson).id).toBe(found.id);
  });

  it('after a 5xx that created nothing, the retry looks, finds nothing, and creates once', async () => {
    const key = newKey();
    const body = { label: 'c-6', proxy_limit: 1 };
    sim().control.inject({ path: '/api/subuser/', method: 'POST', status: 500, times: 1 });
    expect((await create(key, body)).status).toBe(502);
    const retry = await create(key, body);
    expect(retry.status).toBe(201);
    expect(sim().state.subUsers.size).toBe(1);
  });

  it('keeps the doubt when the reconciling retry itself fails, so a later retry still looks first', async () => {
    const key = newKey();
    const body = { label: 'c-12', proxy_limit: 1 };
    sim().control.inject({ path: '/api/subuser/', method: 'POST', malformedJson: true, times: 1 });
    expect((await create(key, body)).status).toBe(502);
    // The look-up fails with a definite error (429): that must not release the key for a blind create.
    sim().control.inject({ path: '/api/subuser/', method: 'GET', status: 429, retryAfter: '30', times: 1 });
    expect((await create(key, body)).status).toBe(429);
    const retry = await create(key, body);
    expect(retry.status).toBe(201);
    expect(sim().state.subUsers.size).toBe(1);
    expect(creates()).toHaveLength(1);
  });

  it('creates a second sub-user for a retry without a key (the reason keys exist)', async () => {
    const body = { label: 'c-7', proxy_limit: 1 };
    expect((await create(undefined, body)).status).toBe(201);
    expect((await create(undefined, body)).status).toBe(201);
    expect(sim().state.subUsers.size).toBe(2);
  });

  it('does not spend the key on a request that failed validation', async () => {
    const key = newKey();
    expect((await create(key, { label: '', proxy_limit: 1 })).status).toBe(400);
    expect((await create(key, { label: 'c-8', proxy_limit: 1 })).status).toBe(201);
  });

  it.each([['has space'], ['x'.repeat(256)]])('rejects the Idempotency-Key %j with 400', async (key) => {
    const response = await create(key, { label: 'c-9', proxy_limit: 1 });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain('idempotency-key');
    expect(sim().requests).toHaveLength(0);
  });

  it('forgets the key when it expires (the alarm deletes the record)', async () => {
    const key = newKey();
    const body = { label: 'c-10', proxy_limit: 1 };
    expect((await create(key, body)).status).toBe(201);
    const namespace = testEnv.IDEMPOTENCY as DurableObjectNamespace;
    const ran = await runDurableObjectAlarm(namespace.get(namespace.idFromName(key)));
    expect(ran).toBe(true);
    const again = await create(key, body);
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBeNull();
    expect(sim().state.subUsers.size).toBe(2);
  });

  it('refuses a key with 503 naming IDEMPOTENCY when the binding is missing', async () => {
    const response = await callWithEnv(
      '/v1/subusers',
      { IDEMPOTENCY: undefined },
      { method: 'POST', json: { label: 'c-11', proxy_limit: 1 }, headers: { 'Idempotency-Key': newKey() } },
    );
    expect(response.status).toBe(503);
    expect((await errorOf(response)).message).toContain('IDEMPOTENCY');
    expect(sim().requests).toHaveLength(0);
  });
});
