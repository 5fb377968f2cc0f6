import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../src/provisioning/customer-provisioner';
import { HOOK_DELIVERY_TTL_SECONDS } from '../../src/storage/keys';
import { callWorker, newCustomerId, provisioner, signupRequest, useSimulator } from './helpers';

useSimulator();

describe('delivery records', () => {
  it('schedules a purge and drops only records past the delivery TTL, keeping the customer state', async () => {
    const customerId = newCustomerId();
    await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }, { id: 'msg_new' }),
    );
    const stub = provisioner(customerId);
    const oldMs = Date.now() - (HOOK_DELIVERY_TTL_SECONDS + 60) * 1000;

    await runInDurableObject(stub, async (_instance, state) => {
      expect(await state.storage.getAlarm()).not.toBeNull();
      await state.storage.put<DeliveryRecord>('delivery:signup:msg_old', {
        state: 'done',
        atMs: oldMs,
        response: { status: 200, body: '{}' },
      });
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    await runInDurableObject(stub, async (_instance, state) => {
      const keys = [...(await state.storage.list({ prefix: 'delivery:' })).keys()];
      expect(keys).toEqual(['delivery:signup:msg_new']);
      // The remaining record is purged when it expires, one TTL after it was written.
      expect(await state.storage.getAlarm()).toBeGreaterThan(
        Date.now() + (HOOK_DELIVERY_TTL_SECONDS - 60) * 1000,
      );
    });
    expect(await stub.state()).toMatchObject({ subUserId: expect.any(Number) });
  });
});
