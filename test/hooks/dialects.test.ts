/**
 * Signup and Stripe hooks on each dialect (the simulator speaking only that one): exactly one
 * sub-user per customer, returned with its proxy credentials, including on v2 where Webshare's
 * sub-user objects carry none (they are read by masquerading as the new sub-user).
 */
import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../sim';
import type { Env } from '../../src/env';
import { routeOutbound } from '../helpers/outbound';
import {
  callWorker,
  hookEnv,
  newCustomerId,
  provisionerState,
  starterSignup,
  stripeEvent,
  stripeRequest,
  subUsersAtWebshare,
} from './helpers';

describe.each(['v1', 'v2'] as const)('hooks on %s', (dialect) => {
  function setup(): { sim: Simulator; env: Env } {
    const sim = createSimulator({ apiVersion: dialect });
    routeOutbound({ 'webshare.sim': sim.fetch });
    return { sim, env: { ...hookEnv, WEBSHARE_API_VERSION: dialect } };
  }

  it('a signup creates exactly one sub-user, answered with its credentials, and a redelivery changes nothing', async () => {
    const { sim, env } = setup();
    const customerId = newCustomerId();
    const request = () => starterSignup(customerId);
    const response = await callWorker(request(), env);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { outcome: string; subuser: Record<string, unknown> };
    const users = subUsersAtWebshare(sim, customerId);
    expect(users).toHaveLength(1);
    expect(body.outcome).toBe('created');
    expect(body.subuser).toMatchObject({
      id: users[0]!.id,
      proxy_username: users[0]!.proxy_username,
      proxy_password: users[0]!.proxy_password,
    });
    const again = await callWorker(request(), env);
    expect(again.status).toBe(200);
    expect(subUsersAtWebshare(sim, customerId)).toHaveLength(1);
    expect((await provisionerState(customerId))?.subUserId).toBe(users[0]!.id);
    const paths = sim.requests.map((r) => r.path);
    for (const path of paths) expect(/^\/api\/v[23]\//.test(path)).toBe(dialect === 'v2');
  });

  it('a Stripe checkout creates exactly one sub-user for the customer', async () => {
    const { sim, env } = setup();
    const customerId = newCustomerId();
    const session = {
      id: `cs_test_${crypto.randomUUID().slice(0, 8)}`,
      object: 'checkout.session',
      mode: 'subscription',
      customer: customerId,
      metadata: { plan: 'starter' },
      payment_status: 'paid',
      subscription: 'sub_test_1',
    };
    const event = stripeEvent('checkout.session.completed', session);
    expect((await callWorker(await stripeRequest(event), env)).status).toBe(200);
    expect((await callWorker(await stripeRequest(event), env)).status).toBe(200);
    expect(subUsersAtWebshare(sim, customerId, 'stripe')).toHaveLength(1);
  });
});
