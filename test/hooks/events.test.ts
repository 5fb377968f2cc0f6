import { describe, expect, it } from 'vitest';
import { customerIdFromLabel, labelFor, subUsersOf } from '../../src/provisioning/label';
import { parseSignupEvent } from '../../src/provisioning/signup-events';
import { parseStripeEvent } from '../../src/provisioning/stripe-events';
import type { SubUser } from '../../src/webshare/schemas';

describe('sub-user labels', () => {
  it.each([
    ['cus_123', 'cust:cus_123'],
    ['user@example.com', 'cust:user@example.com'],
    ['org:42/team', 'cust:org:42/team'],
  ])('round-trips %s', (customerId, label) => {
    expect(labelFor(customerId)).toBe(label);
    expect(customerIdFromLabel(label)).toBe(customerId);
  });

  it.each([['team-a'], ['cust:'], ['cust:has space'], ['CUST:cus_1']])('does not claim %s', (label) => {
    expect(customerIdFromLabel(label)).toBeNull();
  });

  it('finds only the customer’s sub-users, oldest first', () => {
    const subUser = (id: number, label: string) => ({ id, label }) as SubUser;
    const found = subUsersOf('cus_1', [
      subUser(9, 'cust:cus_1'),
      subUser(3, 'cust:cus_10'),
      subUser(4, 'cust:cus_1'),
      subUser(5, 'manual'),
    ]);
    expect(found.map((s) => s.id)).toEqual([4, 9]);
  });
});

describe('signup events', () => {
  it.each([
    [
      'customer.created',
      { customer_id: 'c1', plan: 'pro' },
      { action: 'create', planName: 'pro', returnCredentials: true },
    ],
    [
      'customer.updated',
      { customer_id: 'c1', plan: 'pro' },
      { action: 'update', planName: 'pro', returnCredentials: false },
    ],
    ['customer.deleted', { customer_id: 'c1' }, { action: 'delete', returnCredentials: false }],
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

  it.each([
    ['checkout.session.completed', 'create'],
    ['customer.subscription.created', 'create'],
    ['customer.subscription.updated', 'update'],
    ['customer.subscription.deleted', 'delete'],
  ])('maps %s to %s, timed by the event', (type, action) => {
    const parsed = parseStripeEvent(event(type, { customer: 'cus_1', metadata: { plan: 'pro' } }));
    expect(parsed).toMatchObject({
      kind: 'command',
      action,
      customerId: 'cus_1',
      deliveryId: 'evt_1',
      eventTimeMs: 1_800_000_000_000,
      returnCredentials: false,
    });
  });

  it('takes the first lookup_key when metadata has no plan', () => {
    const parsed = parseStripeEvent(
      event('customer.subscription.updated', {
        customer: 'cus_1',
        items: { data: [{ price: { lookup_key: null } }, { price: { lookup_key: 'starter' } }] },
      }),
    );
    expect(parsed).toMatchObject({ kind: 'command', planName: 'starter' });
  });

  it('needs no plan to delete', () => {
    expect(parseStripeEvent(event('customer.subscription.deleted', { customer: 'cus_1' }))).toMatchObject({
      kind: 'command',
      action: 'delete',
    });
  });
});
