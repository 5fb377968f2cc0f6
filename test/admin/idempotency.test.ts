import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requestFingerprint } from '../../src/routes/admin/idempotent';
import type { IdempotencyKeyStore } from '../../src/storage/idempotency';
import { WIRE } from '../helpers/wire';
import { API_KEY, call, callWithEnv, errorOf, testEnv, useSimulator } from './helpers';

interface SubUserJson {
  id: number;
  label: string;
  proxy_password: string;
}

const newKey = () => `test-${crypto.randomUUID()}`;

function create(key: string | undefined, json: unknown): Promise<Response> {
  return call('/v1/subusers', { method: 'POST', json, headers: key ? { 'Idempotency-Key': key } : {} });
}

function keyStore(key: string): DurableObjectStub<IdempotencyKeyStore> {
  const namespace = testEnv.IDEMPOTENCY as unknown as DurableObjectNamespace<IdempotencyKeyStore>;
  return namespace.get(namespace.idFromName(key));
}

/** As if the attempt holding the key died mid-request: its lease ends now. */
async function lapseLease(key: string): Promise<void> {
  await runInDurableObject(keyStore(key), (_instance, state) => {
    const record = state.storage.kv.get<Record<string, unknown>>('record');
    state.storage.kv.put('record', { ...record, leaseExpiresAtMs: Date.now() - 1 });
  });
}

function captureLogs(): string[] {
  const lines: string[] = [];
  for (const method of ['log', 'warn', 'error'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
  }
  return lines;
}

describe('POST /v1/subusers with an Idempotency-Key', () => {
  // Stamped with the real clock, as Webshare stamps created_at: a reconcile compares it to the key's.
  const sim = useSimulator({ now: () => Date.now() });
  const creates = () => sim().requests.filter((r) => r.method === 'POST' && r.path === WIRE.subusers);
  afterEach(() => vi.restoreAllMocks());

  /** A create sent straight to the simulator, as an attempt that died before answering made it. */
  async function createdByALostAttempt(body: Record<string, unknown>): Promise<SubUserJson> {
    const response = await sim().fetch(
      new Request('https://webshare.sim/api/subuser/', {
        method: 'POST',
        headers: { Authorization: `Token ${API_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
    return (await response.json()) as SubUserJson;
  }

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
    sim().control.inject({ path: WIRE.subusers, method: 'POST', delayMs: 1_500, times: 1 });
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
      path: WIRE.subusers,
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
    sim().control.inject({ path: WIRE.subusers, method: 'POST', malformedJson: true, times: 1 });
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
    sim().control.inject({ path: WIRE.subusers, method: 'POST', status: 500, times: 1 });
    expect((await create(key, body)).status).toBe(502);
    const retry = await create(key, body);
    expect(retry.status).toBe(201);
    expect(sim().state.subUsers.size).toBe(1);
  });

  it('after the Worker died mid-create (its lease lapsed), the retry returns the sub-user Webshare made instead of a second', async () => {
    const key = newKey();
    const body = { label: 'c-13', proxy_limit: 3 };
    // What the dead attempt left: its claim on the key, and the sub-user its create made.
    await keyStore(key).begin(await requestFingerprint('POST', '/v1/subusers', body));
    const orphan = await createdByALostAttempt(body);
    await lapseLease(key);

    const retry = await create(key, body);
    expect(retry.status).toBe(201);
    expect(((await retry.json()) as SubUserJson).id).toBe(orphan.id);
    expect(sim().state.subUsers.size).toBe(1);
  });

  it('logs, without the password, a result it could not store because its lease was taken over, and creates no more', async () => {
    const key = newKey();
    const body = { label: 'c-14', proxy_limit: 1 };
    const fingerprint = await requestFingerprint('POST', '/v1/subusers', body);
    const lines = captureLogs();
    sim().control.inject({ path: WIRE.subusers, method: 'POST', delayMs: 1_500, times: 1 });
    const slow = create(key, body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // While the create is in flight its lease lapses, and another attempt takes the key over.
    await lapseLease(key);
    const takeover = await keyStore(key).begin(fingerprint);
    expect(takeover.outcome).toBe('reconcile');
    const lease = 'lease' in takeover ? takeover.lease : undefined;
    expect(await keyStore(key).complete(fingerprint, { status: 201, bodyJson: '{"id":999}' }, lease)).toBe(
      true,
    );

    const done = await slow;
    expect(done.status).toBe(201);
    const made = (await done.json()) as SubUserJson;
    const warning = lines.find((line) => line.includes('claim was lost'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!)).toMatchObject({ subUserId: made.id });
    for (const line of lines) expect(line).not.toContain(made.proxy_password);

    // The key now answers with the stored result; nothing is created again.
    const again = await create(key, body);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await again.json()).toEqual({ id: 999 });
    expect(creates()).toHaveLength(1);
  });

  it('refuses with 409, creating nothing, a retry whose lease was taken over while it looked for the lost create', async () => {
    const key = newKey();
    const body = { label: 'c-17', proxy_limit: 1 };
    // A 5xx leaves the key uncertain: the next attempt must look before it creates.
    sim().control.inject({ path: WIRE.subusers, method: 'POST', status: 500, times: 1 });
    expect((await create(key, body)).status).toBe(502);

    // The first retry's look-up is slow, and what it reads is the list from before the takeover below
    // (empty): while it runs, its lease lapses and a second retry takes the key over and creates.
    sim().control.inject({
      path: WIRE.subusers,
      method: 'GET',
      delayMs: 1_500,
      status: 200,
      body: JSON.stringify({ count: 0, next: null, previous: null, results: [] }),
      times: 1,
    });
    const slow = create(key, body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await lapseLease(key);
    const takeover = await create(key, body);
    expect(takeover.status).toBe(201);
    const made = (await takeover.json()) as SubUserJson;

    const late = await slow;
    expect(late.status).toBe(409);
    expect((await errorOf(late)).code).toBe('idempotency_in_progress');
    expect(late.headers.get('Retry-After')).toBe('1');
    expect(sim().state.subUsers.size).toBe(1);
    expect(creates()).toHaveLength(2); // the 5xx one (which made nothing) and the takeover's

    // Its retry gets the one sub-user.
    const again = await create(key, body);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(((await again.json()) as SubUserJson).id).toBe(made.id);
  });

  it('creates after a long look-up whose lease lapsed when no other attempt took the key over', async () => {
    const key = newKey();
    const body = { label: 'c-18', proxy_limit: 1 };
    sim().control.inject({ path: WIRE.subusers, method: 'POST', status: 500, times: 1 });
    expect((await create(key, body)).status).toBe(502);
    sim().control.inject({ path: WIRE.subusers, method: 'GET', delayMs: 800, times: 1 });
    const slow = create(key, body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await lapseLease(key);
    expect((await slow).status).toBe(201);
    expect(sim().state.subUsers.size).toBe(1);
  });

  it('after a 5xx, does not hand out a look-alike sub-user made before the key was first used', async () => {
    const key = newKey();
    const body = { label: 'c-15', proxy_limit: 1 };
    // Another customer's sub-user with the same label and limit, made an hour before this key.
    const earlier = await createdByALostAttempt(body);
    sim().state.subUsers.get(earlier.id)!.created_at = new Date(Date.now() - 3_600_000).toISOString();

    sim().control.inject({ path: WIRE.subusers, method: 'POST', status: 500, times: 1 });
    expect((await create(key, body)).status).toBe(502);
    const retry = await create(key, body);
    expect(retry.status).toBe(201);
    const got = (await retry.json()) as SubUserJson;
    expect(got.id).not.toBe(earlier.id);
    expect(got.proxy_password).not.toBe(earlier.proxy_password);
    expect(sim().state.subUsers.size).toBe(2);
  });

  it('after a 5xx, does not hand out a sub-user made since the key whose countries differ', async () => {
    const key = newKey();
    const body = { label: 'c-16', proxy_limit: 2, proxy_countries: { US: 2 } };
    sim().control.inject({ path: WIRE.subusers, method: 'POST', status: 500, times: 1 });
    expect((await create(key, body)).status).toBe(502);
    // Made after the key's first attempt, same label and limit, but another country list.
    const other = await createdByALostAttempt({ ...body, proxy_countries: { FR: 2 } });

    const retry = await create(key, body);
    expect(retry.status).toBe(201);
    const got = (await retry.json()) as SubUserJson & { proxy_countries: unknown };
    expect(got.id).not.toBe(other.id);
    expect(got.proxy_countries).toEqual({ US: 2 });
    expect(sim().state.subUsers.size).toBe(2);
  });

  it('keeps the doubt when the reconciling retry itself fails, so a later retry still looks first', async () => {
    const key = newKey();
    const body = { label: 'c-12', proxy_limit: 1 };
    sim().control.inject({ path: WIRE.subusers, method: 'POST', malformedJson: true, times: 1 });
    expect((await create(key, body)).status).toBe(502);
    // The look-up fails with a definite error (429): that must not release the key for a blind create.
    sim().control.inject({ path: WIRE.subusers, method: 'GET', status: 429, retryAfter: '30', times: 1 });
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
    const namespace = testEnv.IDEMPOTENCY;
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
