import { WIRE } from '../helpers/wire';
import { describe, expect, it } from 'vitest';
import {
  callWorker,
  hookEnv,
  newCustomerId,
  stripeEvent,
  stripeRequest,
  subUsersAtWebshare,
  useSimulator,
  webshareCalls,
} from './helpers';

const sim = useSimulator();

interface ResultBody {
  outcome: string;
  event: string;
  customer_id: string;
  plan?: string;
  subuser?: Record<string, unknown>;
}

function checkoutSession(customer: unknown, metadata: Record<string, string> = { plan: 'starter' }) {
  return {
    id: `cs_test_${crypto.randomUUID().slice(0, 8)}`,
    object: 'checkout.session',
    mode: 'subscription',
    customer,
    payment_status: 'paid',
    metadata,
    subscription: 'sub_test_1',
  };
}

function subscription(
  customer: string,
  options: { lookupKey?: string | null; metadata?: Record<string, string> } = {},
) {
  return {
    id: 'sub_test_1',
    object: 'subscription',
    customer,
    status: 'active',
    metadata: options.metadata ?? {},
    items: {
      object: 'list',
      data: [
        {
          id: 'si_1',
          object: 'subscription_item',
          price: { id: 'price_1', lookup_key: options.lookupKey ?? null },
        },
      ],
    },
  };
}

async function send(event: Record<string, unknown>) {
  return callWorker(await stripeRequest(event));
}

describe('POST /hooks/stripe', () => {
  it('creates the sub-user on checkout.session.completed, with the plan from metadata and no credentials', async () => {
    const customerId = newCustomerId();
    const response = await send(stripeEvent('checkout.session.completed', checkoutSession(customerId)));
    expect(response.status).toBe(200);
    const body = (await response.json()) as ResultBody;
    expect(body).toMatchObject({ outcome: 'created', customer_id: customerId, plan: 'starter' });
    // Stripe shows response bodies in its dashboard: no proxy credentials there.
    expect(body.subuser).not.toHaveProperty('proxy_password');
    expect(body.subuser).not.toHaveProperty('proxy_username');
    expect(subUsersAtWebshare(sim(), customerId, 'stripe')).toHaveLength(1);
  });

  it('makes one sub-user from checkout.session.completed and customer.subscription.created', async () => {
    const customerId = newCustomerId();
    const [first, second] = await Promise.all([
      send(stripeEvent('checkout.session.completed', checkoutSession(customerId))),
      send(
        stripeEvent(
          'customer.subscription.created',
          subscription(customerId, { metadata: { plan: 'starter' } }),
        ),
      ),
    ]);
    expect([first!.status, second!.status]).toEqual([200, 200]);
    const outcomes = [
      ((await first!.json()) as ResultBody).outcome,
      ((await second!.json()) as ResultBody).outcome,
    ];
    expect(outcomes.sort()).toEqual(['created', 'unchanged']);
    expect(subUsersAtWebshare(sim(), customerId, 'stripe')).toHaveLength(1);
    expect(webshareCalls(sim(), 'POST')).toEqual([`POST ${WIRE.subusers}`]);
  });

  it('reads the plan from a price lookup_key and resizes on customer.subscription.updated', async () => {
    const customerId = newCustomerId();
    await send(
      stripeEvent('customer.subscription.created', subscription(customerId, { lookupKey: 'starter' })),
    );
    const response = await send(
      stripeEvent('customer.subscription.updated', subscription(customerId, { lookupKey: 'pro' })),
    );
    expect(await response.json()).toMatchObject({ outcome: 'updated', plan: 'pro' });
    const subUsers = subUsersAtWebshare(sim(), customerId, 'stripe');
    expect(subUsers).toHaveLength(1);
    expect(subUsers[0]).toMatchObject({ proxy_limit: 50, max_thread_count: 200 });
  });

  it('prefers metadata.plan over the lookup_key', async () => {
    const customerId = newCustomerId();
    const response = await send(
      stripeEvent(
        'customer.subscription.created',
        subscription(customerId, { lookupKey: 'starter', metadata: { plan: 'pro' } }),
      ),
    );
    expect(await response.json()).toMatchObject({ plan: 'pro' });
  });

  it('removes the sub-user on customer.subscription.deleted', async () => {
    const customerId = newCustomerId();
    await send(stripeEvent('checkout.session.completed', checkoutSession(customerId)));
    const response = await send(stripeEvent('customer.subscription.deleted', subscription(customerId)));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: 'deleted' });
    expect(subUsersAtWebshare(sim(), customerId, 'stripe')).toHaveLength(0);
  });

  it('answers a replayed event id with the original result and does nothing new', async () => {
    const customerId = newCustomerId();
    const event = stripeEvent('checkout.session.completed', checkoutSession(customerId));
    const first = await (await send(event)).text();
    const calls = sim().requests.length;
    const again = await send(event);
    expect(again.headers.get('Webhook-Replayed')).toBe('true');
    expect(await again.text()).toBe(first);
    expect(sim().requests.length).toBe(calls);
  });

  it('accepts an expanded customer object', async () => {
    const customerId = newCustomerId();
    const response = await send(
      stripeEvent('checkout.session.completed', checkoutSession({ id: customerId, object: 'customer' })),
    );
    expect(await response.json()).toMatchObject({ customer_id: customerId, outcome: 'created' });
  });

  it('acknowledges other event types and does nothing', async () => {
    const response = await send(
      stripeEvent('invoice.paid', { id: 'in_1', object: 'invoice', customer: 'cus_x' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: 'ignored', event: 'invoice.paid' });
    expect(sim().requests).toHaveLength(0);
  });

  it('refuses an unknown plan with a 422 naming it, and creates nothing', async () => {
    const customerId = newCustomerId();
    const response = await send(
      stripeEvent(
        'customer.subscription.created',
        subscription(customerId, { lookupKey: 'enterprise_yearly' }),
      ),
    );
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: { code: 'unknown_plan', details: { plan: 'enterprise_yearly' } },
    });
    expect(sim().requests).toHaveLength(0);
  });

  it.each([
    ['no plan anywhere', checkoutSession(newCustomerId(), {}), 'data.object.metadata.plan'],
    ['a session without a customer', checkoutSession(null), 'data.object.customer'],
  ])('answers 400 naming the field for %s', async (_name, session, field) => {
    const response = await send(stripeEvent('checkout.session.completed', session));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { field: string }[] } };
    expect(body.error.details.map((d) => d.field)).toContain(field);
    expect(sim().requests).toHaveLength(0);
  });

  it('answers 503 naming STRIPE_WEBHOOK_SECRET when it is not set', async () => {
    const response = await callWorker(
      await stripeRequest(stripeEvent('checkout.session.completed', checkoutSession(newCustomerId()))),
      { ...hookEnv, STRIPE_WEBHOOK_SECRET: undefined },
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      error: { details: { variable: 'STRIPE_WEBHOOK_SECRET' } },
    });
  });
});
