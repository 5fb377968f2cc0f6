import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../src/env';
import { PROVISIONER_KEY } from '../../src/storage/keys';
import {
  callWorker,
  hookEnv,
  newCustomerId,
  signupRequest,
  stripeEvent,
  stripeRequest,
  subUsersAtWebshare,
  useSimulator,
  webshareCalls,
} from './helpers';
import { hoursAhead } from '../helpers/clock';
import { WIRE } from '../helpers/wire';

const sim = useSimulator();

/** starter < pro < pro_plus (same limit, later name) < max (0 GB = unlimited). */
const env: Env = {
  ...hookEnv,
  PLANS: {
    starter: { proxy_limit: 5, max_thread_count: 50 },
    pro: { proxy_limit: 50, max_thread_count: 200 },
    pro_plus: { proxy_limit: 50, max_thread_count: 400 },
    max: { proxy_limit: 0 },
  },
};

/**
 * One second for each test's timeline, so "older" and "newer" are exact: an hour ahead of the suite's
 * clock, so the events are newer than what the tests store "now" (a legacy customer's last event).
 */
const T0 = Math.floor(hoursAhead(1) / 1000);

interface Result {
  outcome: string;
  reason?: string;
  plan?: string;
  subuser?: { id: number; proxy_limit: number };
}

function subscription(customer: string, id: string, status: string, plan = 'starter') {
  return {
    id,
    object: 'subscription',
    customer,
    status,
    metadata: { plan },
    items: { object: 'list', data: [] },
  };
}

function session(customer: string, id: string, paymentStatus: string, subscriptionId: string | null = null) {
  return {
    id,
    object: 'checkout.session',
    mode: subscriptionId ? 'subscription' : 'payment',
    customer,
    payment_status: paymentStatus,
    subscription: subscriptionId,
    metadata: { plan: 'starter' },
  };
}

async function send(type: string, object: Record<string, unknown>, created = T0): Promise<Result> {
  const response = await callWorker(await stripeRequest(stripeEvent(type, object, { created })), env);
  expect(response.status).toBe(200);
  return (await response.json()) as Result;
}

const sub = (customer: string, id: string, status: string, plan?: string, created?: number) =>
  send(
    `customer.subscription.${status === 'canceled' ? 'deleted' : 'updated'}`,
    subscription(customer, id, status, plan),
    created,
  );

const stripeSubUsers = (customerId: string) => subUsersAtWebshare(sim(), customerId, 'stripe');
const deletes = () => webshareCalls(sim(), 'DELETE');

describe('Stripe checkouts: access follows payment', () => {
  it('creates nothing for an unpaid checkout, then one sub-user when the async payment succeeds', async () => {
    const customerId = newCustomerId();
    const unpaid = await send('checkout.session.completed', session(customerId, 'cs_1', 'unpaid'));
    expect(unpaid.outcome).toBe('unchanged');
    expect(unpaid).not.toHaveProperty('subuser');
    expect(sim().requests).toHaveLength(0);

    const paid = await send(
      'checkout.session.async_payment_succeeded',
      session(customerId, 'cs_1', 'unpaid'),
      T0 + 60,
    );
    expect(paid).toMatchObject({ outcome: 'created', plan: 'starter' });
    expect(stripeSubUsers(customerId)).toHaveLength(1);
  });

  it('creates nothing when the async payment fails, and the failed checkout never grants access later', async () => {
    const customerId = newCustomerId();
    await send('checkout.session.completed', session(customerId, 'cs_1', 'unpaid'));
    expect(
      (await send('checkout.session.async_payment_failed', session(customerId, 'cs_1', 'unpaid'), T0 + 60))
        .outcome,
    ).toBe('unchanged');
    const late = await send(
      'checkout.session.async_payment_succeeded',
      session(customerId, 'cs_1', 'unpaid'),
      T0 + 120,
    );
    expect(late.outcome).toBe('ignored');
    expect(stripeSubUsers(customerId)).toHaveLength(0);
    expect(webshareCalls(sim(), 'POST')).toEqual([]);
  });

  it('removes the access a paid checkout began when the subscription it started is cancelled', async () => {
    const customerId = newCustomerId();
    await send('checkout.session.completed', session(customerId, 'cs_1', 'paid', 'sub_1'));
    expect(stripeSubUsers(customerId)).toHaveLength(1);
    expect((await sub(customerId, 'sub_1', 'canceled', 'starter', T0 + 60)).outcome).toBe('deleted');
    expect(stripeSubUsers(customerId)).toHaveLength(0);
  });

  it('keeps the sub-user when a paid checkout arrives after the incomplete snapshot of its subscription', async () => {
    const customerId = newCustomerId();
    await send('customer.subscription.created', subscription(customerId, 'sub_1', 'incomplete'));
    expect(sim().requests).toHaveLength(0);
    expect(
      (await send('checkout.session.completed', session(customerId, 'cs_1', 'paid', 'sub_1'), T0 + 1))
        .outcome,
    ).toBe('created');
    expect(stripeSubUsers(customerId)).toHaveLength(1);
  });
});

describe('Stripe subscriptions: access follows status', () => {
  it('creates nothing for an incomplete subscription, one sub-user when active, and removes it when unpaid', async () => {
    const customerId = newCustomerId();
    const incomplete = await send(
      'customer.subscription.created',
      subscription(customerId, 'sub_1', 'incomplete'),
    );
    expect(incomplete.outcome).toBe('unchanged');
    expect(sim().requests).toHaveLength(0);

    expect((await sub(customerId, 'sub_1', 'active', 'starter', T0 + 10)).outcome).toBe('created');
    expect(stripeSubUsers(customerId)).toHaveLength(1);

    expect((await sub(customerId, 'sub_1', 'unpaid', 'starter', T0 + 20)).outcome).toBe('deleted');
    expect(stripeSubUsers(customerId)).toHaveLength(0);
  });

  it('gives a trialing subscription a sub-user and keeps it through past_due (Stripe’s retry window)', async () => {
    const customerId = newCustomerId();
    expect(
      (await send('customer.subscription.created', subscription(customerId, 'sub_1', 'trialing'))).outcome,
    ).toBe('created');
    expect((await sub(customerId, 'sub_1', 'past_due', 'starter', T0 + 10)).outcome).toBe('unchanged');
    expect(stripeSubUsers(customerId)).toHaveLength(1);
    expect(deletes()).toEqual([]);
  });

  it('removes an incomplete_expired subscription’s access only once no other subscription holds it', async () => {
    const customerId = newCustomerId();
    await sub(customerId, 'sub_1', 'active', 'starter', T0);
    await send('customer.subscription.created', subscription(customerId, 'sub_2', 'incomplete'), T0 + 5);
    expect((await sub(customerId, 'sub_2', 'incomplete_expired', 'starter', T0 + 10)).outcome).toBe(
      'unchanged',
    );
    expect(stripeSubUsers(customerId)).toHaveLength(1);
  });

  it('keeps the sub-user when one of two subscriptions is cancelled, and removes it once when both are', async () => {
    const customerId = newCustomerId();
    await sub(customerId, 'sub_1', 'active', 'starter', T0);
    await sub(customerId, 'sub_2', 'active', 'starter', T0 + 1);
    expect(stripeSubUsers(customerId)).toHaveLength(1);

    expect((await sub(customerId, 'sub_1', 'canceled', 'starter', T0 + 10)).outcome).toBe('unchanged');
    expect(stripeSubUsers(customerId)).toHaveLength(1);
    expect(deletes()).toEqual([]);

    expect((await sub(customerId, 'sub_2', 'canceled', 'starter', T0 + 20)).outcome).toBe('deleted');
    expect(stripeSubUsers(customerId)).toHaveLength(0);
    // A late re-cancel (another event id) deletes nothing more.
    expect((await sub(customerId, 'sub_1', 'canceled', 'starter', T0 + 30)).outcome).toBe('unchanged');
    expect(deletes()).toHaveLength(1);
    expect(webshareCalls(sim(), 'POST')).toHaveLength(1);
  });

  it('sizes the sub-user to the highest live plan and resizes when it ends', async () => {
    const customerId = newCustomerId();
    await sub(customerId, 'sub_starter', 'active', 'starter', T0);
    expect(await sub(customerId, 'sub_pro', 'active', 'pro', T0 + 1)).toMatchObject({
      outcome: 'updated',
      plan: 'pro',
    });
    expect(stripeSubUsers(customerId)[0]).toMatchObject({ proxy_limit: 50, max_thread_count: 200 });

    // The lower plan ends: the higher one still decides, nothing to change.
    const patches = () => webshareCalls(sim(), 'PATCH');
    expect(await sub(customerId, 'sub_starter', 'canceled', 'starter', T0 + 10)).toMatchObject({
      outcome: 'unchanged',
      plan: 'pro',
    });
    expect(patches()).toHaveLength(1);

    // Unlimited (0 GB) ranks above every limit; when it ends, the remaining highest plan decides.
    expect(await sub(customerId, 'sub_max', 'active', 'max', T0 + 20)).toMatchObject({
      outcome: 'updated',
      plan: 'max',
    });
    expect(stripeSubUsers(customerId)[0]).toMatchObject({ proxy_limit: 0 });
    expect(await sub(customerId, 'sub_max', 'canceled', 'max', T0 + 30)).toMatchObject({
      outcome: 'updated',
      plan: 'pro',
    });
    expect(stripeSubUsers(customerId)).toEqual([
      expect.objectContaining({ proxy_limit: 50, max_thread_count: 200 }),
    ]);
  });

  it('breaks a tie of equal proxy_limit by plan name, whichever subscription came first', async () => {
    const customerId = newCustomerId();
    await sub(customerId, 'sub_b', 'active', 'pro_plus', T0);
    expect(await sub(customerId, 'sub_a', 'active', 'pro', T0 + 1)).toMatchObject({ plan: 'pro_plus' });
    expect(stripeSubUsers(customerId)[0]).toMatchObject({ max_thread_count: 400 });
  });
});

describe('Stripe deliveries out of order and retried', () => {
  it('ignores a plan change older than the last one applied', async () => {
    const customerId = newCustomerId();
    await sub(customerId, 'sub_1', 'active', 'pro', T0 + 10);
    const late = await sub(customerId, 'sub_1', 'active', 'starter', T0);
    expect(late.outcome).toBe('ignored');
    expect(stripeSubUsers(customerId)[0]).toMatchObject({ proxy_limit: 50 });
  });

  it('does not bring back a cancelled subscription with an older active event, nor with a newer one', async () => {
    const customerId = newCustomerId();
    await sub(customerId, 'sub_1', 'active', 'starter', T0);
    await sub(customerId, 'sub_1', 'canceled', 'starter', T0 + 20);
    expect((await sub(customerId, 'sub_1', 'active', 'starter', T0 + 10)).outcome).toBe('ignored');
    // Stripe never revives a cancelled subscription: a later "active" for it is not believed either.
    expect((await sub(customerId, 'sub_1', 'active', 'starter', T0 + 30)).outcome).toBe('ignored');
    expect(stripeSubUsers(customerId)).toHaveLength(0);
    expect(webshareCalls(sim(), 'POST')).toHaveLength(1);
  });

  it('keeps access when the incomplete snapshot of the same second arrives after the active one', async () => {
    const customerId = newCustomerId();
    await sub(customerId, 'sub_1', 'active', 'starter', T0);
    const stale = await send(
      'customer.subscription.created',
      subscription(customerId, 'sub_1', 'incomplete'),
      T0,
    );
    expect(stale.outcome).toBe('ignored');
    expect(stripeSubUsers(customerId)).toHaveLength(1);
  });

  it('makes one sub-user from concurrent events of two subscriptions and a checkout', async () => {
    const customerId = newCustomerId();
    sim().control.inject({ path: WIRE.subusers, method: 'POST', delayMs: 50 });
    await Promise.all([
      sub(customerId, 'sub_1', 'active', 'starter', T0),
      sub(customerId, 'sub_2', 'active', 'pro', T0),
      send('checkout.session.completed', session(customerId, 'cs_1', 'paid', 'sub_1')),
    ]);
    expect(stripeSubUsers(customerId)).toEqual([expect.objectContaining({ proxy_limit: 50 })]);
    expect(webshareCalls(sim(), 'POST')).toEqual([`POST ${WIRE.subusers}`]);
  });

  it('adopts the sub-user of a create whose answer was lost, when the retry comes as a later event', async () => {
    const customerId = newCustomerId();
    sim().control.inject({ path: WIRE.subusers, method: 'POST', malformedJson: true, times: 1 });
    const lost = await callWorker(
      await stripeRequest(
        stripeEvent('customer.subscription.updated', subscription(customerId, 'sub_1', 'active'), {
          created: T0,
        }),
      ),
      env,
    );
    expect(lost.status).toBe(502);
    expect((await sub(customerId, 'sub_2', 'active', 'starter', T0 + 5)).outcome).toBe('adopted');
    expect(stripeSubUsers(customerId)).toHaveLength(1);
    expect(webshareCalls(sim(), 'POST')).toHaveLength(1);
  });
});

describe('separate key spaces for the generic signup hook and Stripe', () => {
  it('leaves a Stripe customer alone when a generic customer.deleted names the same id', async () => {
    const customerId = newCustomerId();
    await sub(customerId, 'sub_1', 'active', 'starter', T0);
    const [stripeSubUser] = stripeSubUsers(customerId);
    sim().requests.length = 0;

    const generic = await callWorker(signupRequest('customer.deleted', { customer_id: customerId }), env);
    expect(await generic.json()).toMatchObject({ outcome: 'unchanged' });
    expect(stripeSubUsers(customerId)).toEqual([stripeSubUser]);
    expect(deletes()).toEqual([]);
  });

  it('gives a generic signup and a Stripe customer with one id a sub-user each, under their own labels', async () => {
    const customerId = newCustomerId();
    await sub(customerId, 'sub_1', 'active', 'starter', T0);
    await callWorker(signupRequest('customer.created', { customer_id: customerId, plan: 'pro' }), env);
    expect(stripeSubUsers(customerId)).toHaveLength(1);
    expect(subUsersAtWebshare(sim(), customerId, 'signup')).toEqual([
      expect.objectContaining({ proxy_limit: 50 }),
    ]);
  });
});

describe('customers recorded before each sender had its own key space', () => {
  /** What the shared object named by the bare id held, and the `cust:` sub-user it made. */
  async function legacyCustomer(customerId: string, deliverySource: 'stripe' | 'signup' | null) {
    const created = await sim().fetch(
      new Request('https://webshare.sim/api/subuser/', {
        method: 'POST',
        headers: { Authorization: 'Token test-api-key-9f8e7d6c', 'Content-Type': 'application/json' },
        body: JSON.stringify({ label: `cust:${customerId}`, proxy_limit: 5, max_thread_count: 50 }),
      }),
    );
    const { id } = (await created.json()) as { id: number };
    const namespace = hookEnv.PROVISIONER;
    await runInDurableObject(namespace.get(namespace.idFromName(customerId)), async (_instance, state) => {
      await state.storage.put(PROVISIONER_KEY.customer, {
        customerId,
        status: 'active',
        subUserId: id,
        plan: 'starter',
        // An hour ago: before every event these tests send (signup events are stamped now).
        lastEventTimeMs: Date.now() - 3_600_000,
        pending: null,
        updatedAtMs: Date.now() - 3_600_000,
      });
      if (deliverySource) {
        await state.storage.put(`${PROVISIONER_KEY.delivery}${deliverySource}:evt_old`, {
          state: 'done',
          atMs: T0 * 1000,
          response: { status: 200, body: '{}' },
        });
      }
    });
    sim().requests.length = 0;
    return id;
  }

  it('finds a Stripe customer stored under the old key and removes its sub-user when the subscription is cancelled', async () => {
    const customerId = newCustomerId();
    const id = await legacyCustomer(customerId, 'stripe');
    expect((await sub(customerId, 'sub_1', 'canceled', 'starter', T0 + 60)).outcome).toBe('deleted');
    expect(deletes()).toEqual([`DELETE ${WIRE.subuser(id)}`]);
    expect(sim().state.subUsers.has(id)).toBe(false);
  });

  it('resizes a carried-over Stripe customer without making a second sub-user', async () => {
    const customerId = newCustomerId();
    const id = await legacyCustomer(customerId, null);
    expect(await sub(customerId, 'sub_1', 'active', 'pro', T0 + 60)).toMatchObject({
      outcome: 'updated',
      subuser: { id },
    });
    expect(webshareCalls(sim(), 'POST')).toEqual([]);
    expect(sim().state.subUsers.get(id)).toMatchObject({ proxy_limit: 50 });
  });

  it('does not let a generic customer.deleted take over an old record its Stripe deliveries made', async () => {
    const customerId = newCustomerId();
    const id = await legacyCustomer(customerId, 'stripe');
    const generic = await callWorker(signupRequest('customer.deleted', { customer_id: customerId }), env);
    expect(await generic.json()).toMatchObject({ outcome: 'unchanged' });
    expect(sim().state.subUsers.has(id)).toBe(true);
    // The Stripe side still finds it.
    expect((await sub(customerId, 'sub_1', 'canceled', 'starter', T0 + 60)).outcome).toBe('deleted');
  });

  it('hands an old record with no delivery left to say to the first sender only', async () => {
    const customerId = newCustomerId();
    const id = await legacyCustomer(customerId, null);
    const generic = await callWorker(signupRequest('customer.deleted', { customer_id: customerId }), env);
    expect(await generic.json()).toMatchObject({ outcome: 'deleted' });
    expect(sim().state.subUsers.has(id)).toBe(false);
    // Stripe does not get it a second time: nothing left to delete, nothing deleted twice.
    expect((await sub(customerId, 'sub_1', 'canceled', 'starter', T0 + 60)).outcome).toBe('unchanged');
    expect(deletes()).toHaveLength(1);
  });
});
