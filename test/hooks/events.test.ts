import { describe, expect, it } from 'vitest';
import { comparePlans } from '../../src/provisioning/holdings';
import { labelFor, provisionerName, subUsersLabelled } from '../../src/provisioning/label';
import { parseSignupEvent } from '../../src/provisioning/signup-events';
import { parseStripeEvent } from '../../src/provisioning/stripe-events';
import type { SubUser } from '../../src/webshare/types';

describe('sub-user labels and object names', () => {
  it.each([
    ['signup', 'cus_123', 'signup:cus_123', 'signup cus_123'],
    ['stripe', 'cus_123', 'stripe:cus_123', 'stripe cus_123'],
    ['signup', 'org:42/team', 'signup:org:42/team', 'signup org:42/team'],
  ] as const)('gives a %s customer %s the label %s and the object %s', (source, customerId, label, name) => {
    expect(labelFor(source, customerId)).toBe(label);
    expect(provisionerName(source, customerId)).toBe(name);
  });

  it('finds only the sub-users with the exact labels, oldest first', () => {
    const subUser = (id: number, label: string) => ({ id, label }) as SubUser;
    const found = subUsersLabelled(
      ['stripe:cus_1', 'cust:cus_1'],
      [
        subUser(9, 'stripe:cus_1'),
        subUser(3, 'stripe:cus_10'),
        subUser(4, 'cust:cus_1'),
        subUser(5, 'signup:cus_1'),
        subUser(6, 'manual'),
      ],
    );
    expect(found.map((s) => s.id)).toEqual([4, 9]);
  });
});

describe('signup events', () => {
  it.each([
    [
      'customer.created',
      { customer_id: 'c1', plan: 'pro' },
      { change: { kind: 'signup', id: 'c1', status: 'active', plan: 'pro' }, returnCredentials: true },
    ],
    [
      'customer.updated',
      { customer_id: 'c1', plan: 'pro' },
      { change: { kind: 'signup', id: 'c1', status: 'active', plan: 'pro' }, returnCredentials: false },
    ],
    [
      'customer.deleted',
      { customer_id: 'c1' },
      { change: { kind: 'signup', id: 'c1', status: 'deleted', plan: null }, returnCredentials: false },
    ],
  ])('reads %s', (type, data, expected) => {
    const parsed = parseSignupEvent('msg_1', { type, timestamp: '2026-11-28T10:00:00Z', data });
    expect(parsed).toMatchObject({
      kind: 'command',
      deliveryId: 'msg_1',
      customerId: 'c1',
      eventTimeMs: Date.parse('2026-11-28T10:00:00Z'),
      ...expected,
    });
  });

  it('names the envelope fields that are wrong', () => {
    expect(parseSignupEvent('m', { data: {}, timestamp: 'yesterday' })).toMatchObject({
      kind: 'invalid',
      issues: [{ field: 'type' }, { field: 'timestamp' }],
    });
  });
});

describe('Stripe events', () => {
  const event = (type: string, object: Record<string, unknown>) => ({
    id: 'evt_1',
    type,
    created: 1_800_000_000,
    data: { object },
  });

  const subscription = (status: string, extra: Record<string, unknown> = {}) => ({
    id: 'sub_1',
    customer: 'cus_1',
    status,
    metadata: { plan: 'pro' },
    ...extra,
  });
  const session = (payment_status: string) => ({
    id: 'cs_1',
    customer: 'cus_1',
    payment_status,
    subscription: 'sub_1',
    metadata: { plan: 'pro' },
  });

  it.each([
    ['checkout.session.completed', session('paid'), { kind: 'checkout', id: 'cs_1', status: 'paid' }],
    ['checkout.session.completed', session('unpaid'), { kind: 'checkout', status: 'unpaid' }],
    ['checkout.session.async_payment_succeeded', session('unpaid'), { kind: 'checkout', status: 'paid' }],
    ['checkout.session.async_payment_failed', session('unpaid'), { kind: 'checkout', status: 'failed' }],
    [
      'customer.subscription.created',
      subscription('incomplete'),
      { kind: 'subscription', status: 'incomplete' },
    ],
    ['customer.subscription.updated', subscription('past_due'), { kind: 'subscription', status: 'past_due' }],
    ['customer.subscription.deleted', subscription('active'), { kind: 'subscription', status: 'canceled' }],
  ])('reads %s as a change to one holding, timed by the event', (type, object, change) => {
    const parsed = parseStripeEvent(event(type, object));
    expect(parsed).toMatchObject({
      kind: 'command',
      customerId: 'cus_1',
      deliveryId: 'evt_1',
      eventTimeMs: 1_800_000_000_000,
      returnCredentials: false,
      change: { plan: 'pro', ...change },
    });
  });

  it('links a checkout to the subscription it started', () => {
    expect(parseStripeEvent(event('checkout.session.completed', session('paid')))).toMatchObject({
      change: { subscriptionId: 'sub_1' },
    });
  });

  it('takes the first lookup_key when metadata has no plan', () => {
    const parsed = parseStripeEvent(
      event(
        'customer.subscription.updated',
        subscription('active', {
          metadata: {},
          items: { data: [{ price: { lookup_key: null } }, { price: { lookup_key: 'starter' } }] },
        }),
      ),
    );
    expect(parsed).toMatchObject({ kind: 'command', change: { plan: 'starter' } });
  });

  it.each([
    ['customer.subscription.deleted', subscription('canceled', { metadata: {} })],
    ['customer.subscription.created', subscription('incomplete', { metadata: {} })],
    ['checkout.session.completed', { ...session('unpaid'), metadata: {} }],
  ])('needs no plan for %s when it grants no access', (type, object) => {
    expect(parseStripeEvent(event(type, object))).toMatchObject({ kind: 'command', change: { plan: null } });
  });

  it('names payment_status when a completed checkout lacks it', () => {
    const { payment_status: _omitted, ...withoutStatus } = session('paid');
    expect(parseStripeEvent(event('checkout.session.completed', withoutStatus))).toMatchObject({
      kind: 'invalid',
      issues: [{ field: 'data.object.payment_status' }],
    });
  });
});

describe('plan order', () => {
  const plan = (name: string, proxy_limit: number) => ({ name, limits: { proxy_limit } });
  it.each([
    [plan('pro', 50), plan('starter', 5), 1],
    [plan('max', 0), plan('pro', 50), 1],
    [plan('pro', 50), plan('pro_plus', 50), -1],
    [plan('pro', 50), plan('pro', 50), 0],
  ])('orders %o against %o as %i', (a, b, expected) => {
    expect(comparePlans(a, b)).toBe(expected);
    expect(comparePlans(b, a)).toBe(-expected || 0);
  });
});
