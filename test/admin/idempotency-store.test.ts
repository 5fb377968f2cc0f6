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
    expect(await stub.begin('fp-a')).toEqual({ outcome: 'new' });
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
    expect(await stub.begin('fp')).toEqual({ outcome: 'reconcile' });
    expect(await stub.begin('fp')).toEqual({ outcome: 'in_progress' });
  });

  it('lets a retry run once a pending claim outlives its lease (the Worker died mid-request)', async () => {
    const stub = store();
    await stub.begin('fp');
    await runInDurableObject(stub, (_instance, state) => {
      const record = state.storage.kv.get<Record<string, number>>('record');
      state.storage.kv.put('record', { ...record, leaseExpiresAtMs: Date.now() - 1 });
    });
    expect(await stub.begin('fp')).toEqual({ outcome: 'new' });
  });

  it('treats an expired record as absent even before the alarm runs', async () => {
    const stub = store();
    await stub.begin('fp');
    await stub.complete('fp', { status: 201, bodyJson: '{}' });
    await runInDurableObject(stub, (_instance, state) => {
      const record = state.storage.kv.get<Record<string, number>>('record');
      state.storage.kv.put('record', { ...record, expiresAtMs: Date.now() - 1 });
    });
    expect(await stub.begin('other')).toEqual({ outcome: 'new' });
  });
});
