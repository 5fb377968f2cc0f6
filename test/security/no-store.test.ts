/**
 * Every answer that carries proxy credentials says `Cache-Control: no-store`, first answers and
 * replays alike: the account's proxy config (GET, PATCH), a password reset, a created sub-user, and
 * the signup and Stripe hooks' answers.
 */
import { describe, expect, it } from 'vitest';
import { callWithEnv, useSimulator as useAdminSimulator, type CallOptions } from '../admin/helpers';
import {
  callWorker,
  newCustomerId,
  starterSignup,
  stripeEvent,
  stripeRequest,
  useSimulator as useHookSimulator,
} from '../hooks/helpers';

async function cacheControlOf(response: Response): Promise<string | null> {
  await response.arrayBuffer();
  return response.headers.get('Cache-Control');
}

describe('admin answers with credentials', () => {
  const sim = useAdminSimulator();
  const api = (path: string, options: CallOptions = {}) => callWithEnv(path, {}, options);

  it.each([
    ['GET /v1/proxy-config', () => api('/v1/proxy-config')],
    [
      'PATCH /v1/proxy-config',
      () => api('/v1/proxy-config', { method: 'PATCH', json: { authorized_ips: ['198.51.100.7'] } }),
    ],
    [
      'POST /v1/proxy-config/reset-password',
      () => api('/v1/proxy-config/reset-password', { method: 'POST', json: {} }),
    ],
    [
      'POST /v1/subusers',
      () => api('/v1/subusers', { method: 'POST', json: { label: 'nostore-1', proxy_limit: 1 } }),
    ],
    ['GET /v1/subusers', () => api('/v1/subusers')],
  ])('%s says no-store', async (_route, send) => {
    const response = await send();
    expect(response.status).toBeLessThan(300);
    expect(await cacheControlOf(response)).toBe('no-store');
  });

  it.each([
    ['POST /v1/proxy-config/reset-password', '/v1/proxy-config/reset-password', {}],
    ['POST /v1/subusers', '/v1/subusers', { label: 'nostore-2', proxy_limit: 1 }],
  ])('%s says no-store on a replay of its Idempotency-Key too', async (_route, path, json) => {
    const options = { method: 'POST', json, headers: { 'Idempotency-Key': crypto.randomUUID() } };
    expect(await cacheControlOf(await api(path, options))).toBe('no-store');
    const replay = await api(path, options);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await cacheControlOf(replay)).toBe('no-store');
  });

  it('says no-store on a sub-user read as the sub-user (its proxy config)', async () => {
    const created = (await (
      await api('/v1/subusers', { method: 'POST', json: { label: 'nostore-3', proxy_limit: 1 } })
    ).json()) as { id: number };
    expect(sim().state.subUsers.has(created.id)).toBe(true);
    const response = await api(`/v1/subusers/${created.id}/proxy-config`);
    expect(response.status).toBe(200);
    expect(await cacheControlOf(response)).toBe('no-store');
  });
});

describe('hook answers with credentials', () => {
  useHookSimulator();

  it('says no-store on a signup answer and on its replay', async () => {
    const customerId = newCustomerId();
    const delivery = () => starterSignup(customerId);
    const first = await callWorker(delivery());
    expect(first.status).toBe(200);
    expect(await cacheControlOf(first)).toBe('no-store');
    const replay = await callWorker(delivery());
    expect(replay.headers.get('Webhook-Replayed')).toBe('true');
    expect(await cacheControlOf(replay)).toBe('no-store');
  });

  it('says no-store on a Stripe answer and on its replay', async () => {
    const customerId = newCustomerId();
    const event = stripeEvent('checkout.session.completed', {
      id: `cs_test_${customerId}`,
      object: 'checkout.session',
      mode: 'subscription',
      customer: customerId,
      payment_status: 'paid',
      metadata: { plan: 'starter' },
      subscription: 'sub_test_1',
    });
    const first = await callWorker(await stripeRequest(event));
    expect(first.status).toBe(200);
    expect(await cacheControlOf(first)).toBe('no-store');
    const replay = await callWorker(await stripeRequest(event));
    expect(replay.headers.get('Webhook-Replayed')).toBe('true');
    expect(await cacheControlOf(replay)).toBe('no-store');
  });
});
