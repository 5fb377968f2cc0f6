import { describe, expect, it, vi } from 'vitest';
import {
  PLANS,
  SIGNUP_SECRET,
  baseEnv,
  callWorker,
  hookEnv,
  newCustomerId,
  provisionerState,
  signupRequest,
  subUsersAtWebshare,
  useSimulator,
} from './helpers';

const sim = useSimulator();

interface ResultBody {
  delivery_id: string;
  event: string;
  customer_id: string;
  outcome: string;
  reason?: string;
  plan?: string;
  subuser?: {
    id: number;
    label: string;
    proxy_limit: number;
    max_thread_count: number | null;
    proxy_username?: string;
    proxy_password?: string;
  };
}

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

async function create(customerId: string, plan = 'starter', id?: string) {
  return callWorker(signupRequest('customer.created', { customer_id: customerId, plan }, { id }));
}

describe('POST /hooks/signup', () => {
  it('creates a sub-user labelled with the customer id and returns its credentials', async () => {
    const customerId = newCustomerId();
    const response = await callWorker(
      signupRequest('customer.created', { customer_id: customerId, email: 'a@example.com', plan: 'starter' }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as ResultBody;
    const [subUser] = subUsersAtWebshare(sim(), customerId);
    expect(subUser).toBeDefined();
    expect(body).toMatchObject({
      customer_id: customerId,
      event: 'customer.created',
      outcome: 'created',
      plan: 'starter',
      subuser: {
        id: subUser!.id,
        label: `signup:${customerId}`,
        proxy_limit: 5,
        max_thread_count: 50,
        proxy_username: subUser!.proxy_username,
        proxy_password: subUser!.proxy_password,
      },
    });
    expect(subUser).toMatchObject({ proxy_limit: 5, max_thread_count: 50 });
    expect(await provisionerState(customerId)).toMatchObject({
      holdings: { [`signup:${customerId}`]: { status: 'active', plan: 'starter' } },
      subUserId: subUser!.id,
      plan: 'starter',
      pending: null,
    });
  });

  it('answers a replayed delivery with the original result and does nothing new', async () => {
    const customerId = newCustomerId();
    const first = await create(customerId, 'starter', 'msg_replay_1');
    const firstText = await first.text();
    const callsAfterFirst = sim().requests.length;

    const again = await create(customerId, 'starter', 'msg_replay_1');
    expect(again.status).toBe(200);
    expect(again.headers.get('Webhook-Replayed')).toBe('true');
    expect(await again.text()).toBe(firstText);
    expect(sim().requests.length).toBe(callsAfterFirst);
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
  });

  it('logs the first answer at info and a replay only at LOG_LEVEL=debug', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const messages = () => lines.map((line) => (JSON.parse(line) as { message: string }).message);
    try {
      const customerId = newCustomerId();
      const delivery = () =>
        signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }, { id: 'msg_log_1' });
      await callWorker(delivery());
      expect(messages()).toContain('webhook delivery handled');
      lines.length = 0;
      const replay = await callWorker(delivery());
      expect(replay.headers.get('Webhook-Replayed')).toBe('true');
      expect(messages()).not.toContain('webhook delivery replayed');
      const verbose = await callWorker(delivery(), { ...hookEnv, LOG_LEVEL: 'debug' });
      expect(verbose.headers.get('Webhook-Replayed')).toBe('true');
      const line = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.message === 'webhook delivery replayed');
      expect(line).toMatchObject({ level: 'debug', customerId, deliveryId: 'msg_log_1', status: 200 });
    } finally {
      spy.mockRestore();
    }
  });

  it('resizes the sub-user on customer.updated, without returning credentials', async () => {
    const customerId = newCustomerId();
    await create(customerId);
    const response = await callWorker(
      signupRequest('customer.updated', { customer_id: customerId, plan: 'pro' }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as ResultBody;
    expect(body).toMatchObject({
      outcome: 'updated',
      plan: 'pro',
      subuser: { proxy_limit: 50, max_thread_count: 200 },
    });
    expect(body.subuser).not.toHaveProperty('proxy_password');
    const subUsers = subUsersAtWebshare(sim(), customerId);
    expect(subUsers).toHaveLength(1);
    expect(subUsers[0]).toMatchObject({ proxy_limit: 50, max_thread_count: 200 });
  });

  it('removes the sub-user on customer.deleted and keeps a tombstone', async () => {
    const customerId = newCustomerId();
    await create(customerId);
    const response = await callWorker(signupRequest('customer.deleted', { customer_id: customerId }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: 'deleted', customer_id: customerId });
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(0);
    expect(await provisionerState(customerId)).toMatchObject({
      holdings: { [`signup:${customerId}`]: { status: 'deleted' } },
      subUserId: null,
    });
  });

  it('refuses an unknown plan with a 422 naming it, and creates nothing', async () => {
    const customerId = newCustomerId();
    const response = await create(customerId, 'platinum');
    expect(response.status).toBe(422);
    const body = (await response.json()) as ErrorBody;
    expect(body.error).toMatchObject({ code: 'unknown_plan', details: { plan: 'platinum' } });
    expect(body.error.message).toContain('"platinum"');
    expect(sim().requests).toHaveLength(0);
  });

  it('records nothing for an unknown plan, so the same delivery succeeds once PLANS has it', async () => {
    const customerId = newCustomerId();
    const delivery = () =>
      signupRequest('customer.created', { customer_id: customerId, plan: 'team' }, { id: 'msg_plan_later' });
    expect((await callWorker(delivery())).status).toBe(422);
    const retried = await callWorker(delivery(), {
      ...hookEnv,
      PLANS: { ...PLANS, team: { proxy_limit: 20 } },
    });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('Webhook-Replayed')).toBeNull();
    expect(subUsersAtWebshare(sim(), customerId)[0]).toMatchObject({ proxy_limit: 20 });
  });

  it('accepts an unknown event type with a 2xx and does nothing', async () => {
    const response = await callWorker(signupRequest('customer.paused', { customer_id: newCustomerId() }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: 'ignored', event: 'customer.paused' });
    expect(sim().requests).toHaveLength(0);
  });

  it.each([
    ['a missing plan', { customer_id: 'cus_1' }, ['data.plan']],
    ['a missing customer id', { plan: 'starter' }, ['data.customer_id']],
    ['a customer id with spaces', { customer_id: 'cus 1', plan: 'starter' }, ['data.customer_id']],
    ['a malformed email', { customer_id: 'cus_1', plan: 'starter', email: 'nope' }, ['data.email']],
  ])('answers 400 naming the fields for %s', async (_name, data, fields) => {
    const response = await callWorker(signupRequest('customer.created', data));
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid_event');
    expect((body.error.details as { field: string }[]).map((d) => d.field)).toEqual(fields);
    expect(sim().requests).toHaveLength(0);
  });

  it('answers 400 for a signed body that is not JSON', async () => {
    const { Webhook } = await import('standardwebhooks');
    const now = new Date();
    const body = '{not json';
    const response = await callWorker(
      new Request('https://worker.test/hooks/signup', {
        method: 'POST',
        headers: {
          'webhook-id': 'msg_bad_json',
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': new Webhook(SIGNUP_SECRET).sign('msg_bad_json', now, body),
        },
        body,
      }),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.code).toBe('invalid_json');
  });

  it('answers 503 naming SIGNUP_WEBHOOK_SECRET when it is not set', async () => {
    const response = await callWorker(
      signupRequest('customer.created', { customer_id: newCustomerId(), plan: 'starter' }),
      { ...hookEnv, SIGNUP_WEBHOOK_SECRET: undefined },
    );
    expect(response.status).toBe(503);
    const body = (await response.json()) as ErrorBody;
    expect(body.error).toMatchObject({
      code: 'not_configured',
      details: { variable: 'SIGNUP_WEBHOOK_SECRET' },
    });
  });

  it('answers 503 naming PLANS when it is not set, and creates nothing', async () => {
    const response = await callWorker(
      signupRequest('customer.created', { customer_id: newCustomerId(), plan: 'starter' }),
      { ...baseEnv, SIGNUP_WEBHOOK_SECRET: SIGNUP_SECRET },
    );
    expect(response.status).toBe(503);
    expect(((await response.json()) as ErrorBody).error.details).toEqual({ variable: 'PLANS' });
    expect(sim().requests).toHaveLength(0);
  });

  it('accepts PLANS as a JSON string', async () => {
    const customerId = newCustomerId();
    const response = await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'tiny' }),
      {
        ...hookEnv,
        PLANS: JSON.stringify({ tiny: { proxy_limit: 1 } }),
      },
    );
    expect(response.status).toBe(200);
    expect(subUsersAtWebshare(sim(), customerId)[0]).toMatchObject({ proxy_limit: 1 });
  });

  it('never writes the proxy password or the email to the logs', async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    const spies = [
      vi.spyOn(console, 'log').mockImplementation(capture),
      vi.spyOn(console, 'warn').mockImplementation(capture),
      vi.spyOn(console, 'error').mockImplementation(capture),
    ];
    try {
      const customerId = newCustomerId();
      const response = await callWorker(
        signupRequest('customer.created', {
          customer_id: customerId,
          email: 'secret.person@example.com',
          plan: 'pro',
        }),
      );
      const body = (await response.json()) as ResultBody;
      expect(body.subuser?.proxy_password).toBeTruthy();
      expect(lines.length).toBeGreaterThan(0);
      const logged = lines.join('\n');
      expect(logged).toContain(customerId);
      expect(logged).not.toContain(body.subuser!.proxy_password!);
      expect(logged).not.toContain('secret.person@example.com');
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
