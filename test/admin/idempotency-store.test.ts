import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { IdempotencyKeyStore } from '../../src/storage/idempotency';
import { testEnv } from './helpers';

function store(): DurableObjectStub<IdempotencyKeyStore> {
  const namespace = testEnv.IDEMPOTENCY as unknown as DurableObjectNamespace<IdempotencyKeyStore>;
  return namespace.get(namespace.idFromName(`store-${crypto.randomUUID()}`));
}

describe('IdempotencyKeyStore', () => {
  it('moves new → in progress → replay, and tells a different fingerprint apart', async () => {
    const stub = store();
    expect(await stub.begin('fp-a')).toMatchObject({ outcome: 'new' });
    expect(await stub.begin('fp-a')).toEqual({ outcome: 'in_progress' });
    expect(await stub.begin('fp-b')).toEqual({ outcome: 'mismatch' });
    expect(await stub.complete('fp-b', { status: 201, bodyJson: '{}' })).toBe(false);
    expect(await stub.complete('fp-a', { status: 201, bodyJson: '{"id":1}' })).toBe(true);
    expect(await stub.begin('fp-a')).toEqual({
      outcome: 'replay',
      response: { status: 201, bodyJson: '{"id":1}' },
    });
    expect(await stub.abort('fp-a')).toBe(false);
  });

  it('after an uncertain failure, hands the next attempt a reconcile (and only one of them)', async () => {
    const stub = store();
    await stub.begin('fp');
    expect(await stub.markUncertain('fp')).toBe(true);
    expect(await stub.begin('other')).toEqual({ outcome: 'mismatch' });
    expect(await stub.begin('fp')).toMatchObject({ outcome: 'reconcile' });
    expect(await stub.begin('fp')).toEqual({ outcome: 'in_progress' });
  });

  it('hands a claim that outlived its lease to the retry as a reconcile (the Worker died mid-request, perhaps after Webshare created the sub-user)', async () => {
    const stub = store();
    await stub.begin('fp');
    await lapseLease(stub);
    expect(await stub.begin('other')).toEqual({ outcome: 'mismatch' });
    expect(await stub.begin('fp')).toMatchObject({ outcome: 'reconcile' });
    expect(await stub.begin('fp')).toEqual({ outcome: 'in_progress' });
  });

  it('tells each reconcile when the key was first claimed, through every takeover', async () => {
    const stub = store();
    const before = Date.now();
    await stub.begin('fp');
    const firstMs = await runInDurableObject(
      stub,
      (_instance, state) => state.storage.kv.get<{ beganAtMs: number }>('record')!.beganAtMs,
    );
    expect(firstMs).toBeGreaterThanOrEqual(before);
    await lapseLease(stub);
    expect(await stub.begin('fp')).toMatchObject({ outcome: 'reconcile', beganAtMs: firstMs });
    await stub.markUncertain('fp');
    expect(await stub.begin('fp')).toMatchObject({ outcome: 'reconcile', beganAtMs: firstMs });
  });

  it('lets only the attempt holding the lease settle the claim once another took it over', async () => {
    const stub = store();
    const first = await stub.begin('fp');
    await lapseLease(stub);
    const second = await stub.begin('fp');
    expect(second.outcome).toBe('reconcile');
    const lease = (b: typeof first) => ('lease' in b ? b.lease : 'none');
    // The lapsed holder can neither free the key (a blind `new` create could follow) nor finish it.
    expect(await stub.abort('fp', lease(first))).toBe(false);
    expect(await stub.markUncertain('fp', lease(first))).toBe(false);
    expect(await stub.complete('fp', { status: 201, bodyJson: '{"id":1}' }, lease(first))).toBe(false);
    expect(await stub.complete('fp', { status: 201, bodyJson: '{"id":2}' }, lease(second))).toBe(true);
    expect(await stub.begin('fp')).toEqual({
      outcome: 'replay',
      response: { status: 201, bodyJson: '{"id":2}' },
    });
  });

  it('treats an expired record as absent even before the alarm runs', async () => {
    const stub = store();
    await stub.begin('fp');
    await stub.complete('fp', { status: 201, bodyJson: '{}' });
    await runInDurableObject(stub, (_instance, state) => {
      const record = state.storage.kv.get<Record<string, number>>('record');
      state.storage.kv.put('record', { ...record, expiresAtMs: Date.now() - 1 });
    });
    expect(await stub.begin('other')).toMatchObject({ outcome: 'new' });
  });
});

/** As if the attempt holding the claim died: its lease ends now. */
async function lapseLease(stub: DurableObjectStub<IdempotencyKeyStore>): Promise<void> {
  await runInDurableObject(stub, (_instance, state) => {
    const record = state.storage.kv.get<Record<string, unknown>>('record');
    state.storage.kv.put('record', { ...record, leaseExpiresAtMs: Date.now() - 1 });
  });
}
