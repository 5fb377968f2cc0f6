import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { PROVISIONER_KEY } from '../../src/storage/keys';
import {
  callWorker,
  newCustomerId,
  provisioner,
  provisionerState,
  signupRequest,
  subUsersAtWebshare,
  useSimulator,
  webshareCalls,
} from './helpers';
import { SUITE_DIALECT, WIRE } from '../helpers/wire';

const sim = useSimulator();

interface ResultBody {
  outcome: string;
  reason?: string;
  plan?: string;
  subuser?: { id: number; proxy_limit: number; proxy_username?: string; proxy_password?: string };
}

const CONCURRENT_DELIVERIES = 20;
const at = (iso: string) => ({ timestamp: iso });

describe('exactly-once provisioning', () => {
  it(`makes one sub-user from ${CONCURRENT_DELIVERIES} concurrent deliveries for one customer`, async () => {
    const customerId = newCustomerId();
    // A slow create keeps the first delivery in flight while the other nineteen arrive.
    sim().control.inject({ path: WIRE.subusers, method: 'POST', delayMs: 50 });
    const responses = await Promise.all(
      Array.from({ length: CONCURRENT_DELIVERIES }, () =>
        callWorker(signupRequest('customer.created', { customer_id: customerId, plan: 'starter' })),
      ),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as ResultBody[];
    expect(responses.map((r) => r.status)).toEqual(Array(CONCURRENT_DELIVERIES).fill(200));
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
    expect(webshareCalls(sim(), 'POST')).toEqual([`POST ${WIRE.subusers}`]);
    const [subUser] = subUsersAtWebshare(sim(), customerId);
    // Every sender gets the one sub-user and its credentials.
    for (const body of bodies) {
      expect(body.subuser).toMatchObject({ id: subUser!.id, proxy_password: subUser!.proxy_password });
    }
    expect(bodies.filter((b) => b.outcome === 'created')).toHaveLength(1);
  });

  it(`answers ${CONCURRENT_DELIVERIES} concurrent copies of one delivery with one result`, async () => {
    const customerId = newCustomerId();
    sim().control.inject({ path: WIRE.subusers, method: 'POST', delayMs: 50 });
    const responses = await Promise.all(
      Array.from({ length: CONCURRENT_DELIVERIES }, () =>
        callWorker(
          signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }, { id: 'msg_dup' }),
        ),
      ),
    );
    const texts = await Promise.all(responses.map((r) => r.text()));
    expect(new Set(texts).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('Webhook-Replayed') === 'true')).toHaveLength(
      CONCURRENT_DELIVERIES - 1,
    );
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
    expect(webshareCalls(sim(), 'POST')).toEqual([`POST ${WIRE.subusers}`]);
  });

  it('answers 5xx when Webshare fails, records nothing, and succeeds on the retry with one sub-user', async () => {
    const customerId = newCustomerId();
    sim().control.inject({ path: WIRE.subusers, method: 'POST', status: 500, times: 1 });
    const delivery = () =>
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }, { id: 'msg_retry' });

    const failed = await callWorker(delivery());
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(0);

    const retried = await callWorker(delivery());
    expect(retried.status).toBe(200);
    expect(retried.headers.get('Webhook-Replayed')).toBeNull();
    expect(await retried.json()).toMatchObject({ outcome: 'created' });
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
  });

  it('adopts a sub-user created at Webshare whose answer was lost, instead of creating a second', async () => {
    const customerId = newCustomerId();
    // Webshare creates the sub-user but the answer arrives broken: as if the worker died right after.
    sim().control.inject({ path: WIRE.subusers, method: 'POST', malformedJson: true, times: 1 });
    const delivery = () =>
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }, { id: 'msg_lost' });

    const failed = await callWorker(delivery());
    expect(failed.status).toBe(502);
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
    expect(await provisionerState(customerId)).toBeNull();

    const retried = await callWorker(delivery());
    expect(retried.status).toBe(200);
    const body = (await retried.json()) as ResultBody;
    const [subUser] = subUsersAtWebshare(sim(), customerId);
    expect(body).toMatchObject({
      outcome: 'adopted',
      subuser: { id: subUser!.id, proxy_password: subUser!.proxy_password },
    });
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
    expect(webshareCalls(sim(), 'POST')).toEqual([`POST ${WIRE.subusers}`]);
    expect(await provisionerState(customerId)).toMatchObject({ subUserId: subUser!.id, pending: null });
  });

  it('makes exactly one Webshare request, the create, for a first-time signup', async () => {
    const customerId = newCustomerId();
    const response = await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: 'created' });
    // No sub-user list: on a reseller account that is hundreds of requests, past the subrequest limit.
    // One write, the create; v2 then reads the credentials it cannot list (as the sub-user, and the
    // account's own to compare them with), never the list.
    const calls = webshareCalls(sim());
    expect(calls.filter((call) => !call.startsWith('GET '))).toEqual([`POST ${WIRE.subusers}`]);
    expect(calls).not.toContain(`GET ${WIRE.subusers}`);
    if (SUITE_DIALECT === 'v1') expect(calls).toHaveLength(1);
  });

  it('deletes a recorded customer with one request, without listing every sub-user', async () => {
    const customerId = newCustomerId();
    await callWorker(signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }));
    const [subUser] = subUsersAtWebshare(sim(), customerId);
    sim().requests.length = 0;
    const response = await callWorker(signupRequest('customer.deleted', { customer_id: customerId }));
    expect(await response.json()).toMatchObject({ outcome: 'deleted' });
    expect(webshareCalls(sim())).toEqual([`DELETE ${WIRE.subuser(subUser!.id)}`]);
  });

  it('adopts the sub-user of an attempt that died after its create reached Webshare', async () => {
    const customerId = newCustomerId();
    // What a worker killed mid-create leaves behind: its marker here, the sub-user at Webshare.
    const orphan = await sim().fetch(
      new Request('https://webshare.sim/api/subuser/', {
        method: 'POST',
        headers: { Authorization: 'Token test-api-key-9f8e7d6c', 'Content-Type': 'application/json' },
        body: JSON.stringify({ label: `signup:${customerId}`, proxy_limit: 5, max_thread_count: 50 }),
      }),
    );
    const { id } = (await orphan.json()) as { id: number };
    await runInDurableObject(provisioner(customerId), async (_instance, state) => {
      await state.storage.put(PROVISIONER_KEY.creating, { deliveryId: 'msg_died', sinceMs: Date.now() });
      await state.storage.put(PROVISIONER_KEY.legacyChecked, true);
    });

    const retried = await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }, { id: 'msg_died' }),
    );
    expect(await retried.json()).toMatchObject({ outcome: 'adopted', subuser: { id } });
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
    // The doubt is settled: the marker is gone, so the next event for this customer lists nothing.
    const marker = await runInDurableObject(provisioner(customerId), (_instance, state) =>
      state.storage.get(PROVISIONER_KEY.creating),
    );
    expect(marker).toBeUndefined();
  });

  it('keeps the doubt of a lost create through an event it ignores, and removes the orphan on delete', async () => {
    const customerId = newCustomerId();
    await callWorker(
      signupRequest('customer.deleted', { customer_id: customerId }, at('2026-11-28T10:00:00Z')),
    );
    // The comeback's create reaches Webshare, but its answer is lost.
    sim().control.inject({ path: WIRE.subusers, method: 'POST', malformedJson: true, times: 1 });
    const lost = await callWorker(
      signupRequest(
        'customer.created',
        { customer_id: customerId, plan: 'starter' },
        at('2026-11-28T12:00:00Z'),
      ),
    );
    expect(lost.status).toBe(502);
    // A stale event is ignored without reading the list: that must not drop the marker.
    const stale = await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'pro' }, at('2026-11-28T09:00:00Z')),
    );
    expect(await stale.json()).toMatchObject({ outcome: 'ignored' });
    const deleted = await callWorker(
      signupRequest('customer.deleted', { customer_id: customerId }, at('2026-11-28T13:00:00Z')),
    );
    expect(await deleted.json()).toMatchObject({ outcome: 'deleted' });
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(0);
  });

  it('retries a delete that Webshare failed', async () => {
    const customerId = newCustomerId();
    await callWorker(signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }));
    sim().control.inject({ path: `${WIRE.subusers}*`, method: 'DELETE', status: 503, times: 1 });
    const delivery = () =>
      signupRequest('customer.deleted', { customer_id: customerId }, { id: 'msg_del_retry' });

    expect((await callWorker(delivery())).status).toBe(503);
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
    expect(await provisionerState(customerId)).toMatchObject({
      holdings: { [`signup:${customerId}`]: { status: 'active' } },
      pending: { action: 'delete' },
    });

    const retried = await callWorker(delivery());
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ outcome: 'deleted' });
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(0);
  });

  it('recreates a sub-user deleted at Webshare behind its back when the plan changes', async () => {
    const customerId = newCustomerId();
    await callWorker(signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }));
    sim().state.subUsers.clear();
    const response = await callWorker(
      signupRequest('customer.updated', { customer_id: customerId, plan: 'pro' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: 'created', plan: 'pro' });
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
  });
});

describe('reordered deliveries', () => {
  it('does not resurrect a deleted customer with a created event from before the deletion', async () => {
    const customerId = newCustomerId();
    const deleted = await callWorker(
      signupRequest('customer.deleted', { customer_id: customerId }, at('2026-11-28T10:00:05Z')),
    );
    expect(await deleted.json()).toMatchObject({ outcome: 'unchanged' });

    const created = await callWorker(
      signupRequest(
        'customer.created',
        { customer_id: customerId, plan: 'starter' },
        at('2026-11-28T10:00:00Z'),
      ),
    );
    expect(created.status).toBe(200);
    const body = (await created.json()) as ResultBody;
    expect(body.outcome).toBe('ignored');
    expect(body.reason).toContain('deleted');
    expect(body).not.toHaveProperty('subuser');
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(0);
    expect(webshareCalls(sim(), 'POST')).toEqual([]);
  });

  it('treats a created event without a time after a deletion as stale', async () => {
    const customerId = newCustomerId();
    await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }, { timestamp: null }),
    );
    await callWorker(signupRequest('customer.deleted', { customer_id: customerId }, { timestamp: null }));
    const late = await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }, { timestamp: null }),
    );
    expect(await late.json()).toMatchObject({ outcome: 'ignored' });
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(0);
  });

  it('lets a customer who left come back with a newer signup', async () => {
    const customerId = newCustomerId();
    await callWorker(
      signupRequest(
        'customer.created',
        { customer_id: customerId, plan: 'starter' },
        at('2026-11-28T10:00:00Z'),
      ),
    );
    await callWorker(
      signupRequest('customer.deleted', { customer_id: customerId }, at('2026-11-28T11:00:00Z')),
    );
    const back = await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'pro' }, at('2026-11-28T12:00:00Z')),
    );
    expect(await back.json()).toMatchObject({ outcome: 'created', plan: 'pro' });
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
  });

  it('creates with the plan of an update that arrives before the created event, and keeps it', async () => {
    const customerId = newCustomerId();
    const updated = await callWorker(
      signupRequest('customer.updated', { customer_id: customerId, plan: 'pro' }, at('2026-11-28T10:05:00Z')),
    );
    expect(await updated.json()).toMatchObject({ outcome: 'created', plan: 'pro' });

    const created = await callWorker(
      signupRequest(
        'customer.created',
        { customer_id: customerId, plan: 'starter' },
        at('2026-11-28T10:00:00Z'),
      ),
    );
    const body = (await created.json()) as ResultBody;
    const [subUser] = subUsersAtWebshare(sim(), customerId);
    // The older signup does not downgrade the plan, but its sender still gets the credentials.
    expect(body).toMatchObject({ outcome: 'ignored', subuser: { id: subUser!.id, proxy_limit: 50 } });
    expect(body.subuser?.proxy_password).toBe(subUser!.proxy_password);
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
    expect(subUser).toMatchObject({ proxy_limit: 50 });
  });

  it('ignores a plan change older than the last one applied', async () => {
    const customerId = newCustomerId();
    await callWorker(
      signupRequest(
        'customer.created',
        { customer_id: customerId, plan: 'starter' },
        at('2026-11-28T10:00:00Z'),
      ),
    );
    await callWorker(
      signupRequest('customer.updated', { customer_id: customerId, plan: 'pro' }, at('2026-11-28T10:10:00Z')),
    );
    const late = await callWorker(
      signupRequest(
        'customer.updated',
        { customer_id: customerId, plan: 'starter' },
        at('2026-11-28T10:05:00Z'),
      ),
    );
    expect(await late.json()).toMatchObject({ outcome: 'ignored' });
    expect(subUsersAtWebshare(sim(), customerId)[0]).toMatchObject({ proxy_limit: 50 });
  });
});
