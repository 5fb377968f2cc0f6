import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { runTick } from '../../src/cycle/tick';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import {
  callWorker,
  hookEnv,
  newCustomerId,
  signupRequest,
  subUsersAtWebshare,
  useSimulator,
} from './helpers';

const sim = useSimulator();
const ALERT_SECRET = 'whsec_' + btoa('alert-webhook-secret-for-tests');
const alertEnv = {
  ...hookEnv,
  ALERT_WEBHOOK_URL: 'https://alerts.sink/hook',
  ALERT_WEBHOOK_SECRET: ALERT_SECRET,
};

function withSink(): RecordingSink {
  const sink = new RecordingSink();
  routeOutbound({ 'webshare.sim': sim().fetch, 'alerts.sink': sink.fetch });
  return sink;
}

describe('sub-user announcements', () => {
  it('announces subuser.created and subuser.deleted as signed events without credentials', async () => {
    const sink = withSink();
    const customerId = newCustomerId();
    const created = await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }, { id: 'msg_ann_1' }),
      alertEnv,
    );
    const { subuser } = (await created.json()) as { subuser: { id: number; proxy_password: string } };
    await callWorker(
      signupRequest('customer.deleted', { customer_id: customerId }, { id: 'msg_ann_2' }),
      alertEnv,
    );

    expect(sink.requests).toHaveLength(2);
    const events = sink.requests.map((request) =>
      new Webhook(ALERT_SECRET).verify(request.body, {
        'webhook-id': request.headers['webhook-id']!,
        'webhook-timestamp': request.headers['webhook-timestamp']!,
        'webhook-signature': request.headers['webhook-signature']!,
      }),
    );
    expect(events).toMatchObject([
      { type: 'subuser.created', data: { customer_id: customerId, subuser_id: subuser.id, plan: 'starter' } },
      { type: 'subuser.deleted', data: { customer_id: customerId, subuser_id: subuser.id } },
    ]);
    expect(sink.requests[0]!.headers['webhook-id']).toBe('subuser.created:signup:msg_ann_1');
    expect(sink.requests.map((r) => r.body).join('')).not.toContain(subuser.proxy_password);
  });

  it('announces nothing for a replay or an update', async () => {
    const sink = withSink();
    const customerId = newCustomerId();
    const delivery = () =>
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }, { id: 'msg_ann_3' });
    await callWorker(delivery(), alertEnv);
    await callWorker(delivery(), alertEnv);
    await callWorker(signupRequest('customer.updated', { customer_id: customerId, plan: 'pro' }), alertEnv);
    expect(sink.requests.map((r) => JSON.parse(r.body).type)).toEqual(['subuser.created']);
  });

  it('still answers 200 when the alert webhook fails', async () => {
    const sink = withSink();
    sink.respondWith(500);
    const customerId = newCustomerId();
    const response = await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }),
      alertEnv,
    );
    expect(response.status).toBe(200);
    expect(sink.requests).toHaveLength(1);
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
  });
});

describe('announcements the webhook did not take', () => {
  it('are handed to the next tick, which delivers them from the outbox with the same id', async () => {
    const sink = withSink();
    sink.respondWith(503);
    const customerId = newCustomerId();
    const response = await callWorker(
      signupRequest(
        'customer.created',
        { customer_id: customerId, plan: 'starter' },
        { id: 'msg_ann_later' },
      ),
      alertEnv,
    );
    expect(response.status).toBe(200);
    expect(sink.requests).toHaveLength(1);

    // The outbox waits a few minutes before retrying a failed channel; the next tick comes later.
    const later = Date.now() + 10 * 60_000;
    await runTick({ env: alertEnv, scheduledTime: later, nowMs: later });
    const retried = sink.requests.filter(
      (r) => r.headers['webhook-id'] === 'subuser.created:signup:msg_ann_later',
    );
    expect(retried).toHaveLength(2);
    const event = new Webhook(ALERT_SECRET).verify(retried[1]!.body, {
      'webhook-id': retried[1]!.headers['webhook-id']!,
      'webhook-timestamp': retried[1]!.headers['webhook-timestamp']!,
      'webhook-signature': retried[1]!.headers['webhook-signature']!,
    });
    expect(event).toMatchObject({
      type: 'subuser.created',
      data: { customer_id: customerId, plan: 'starter' },
    });

    // Adopted once: a further tick sends it no more.
    const after = later + 5 * 60_000;
    await runTick({ env: alertEnv, scheduledTime: after, nowMs: after });
    expect(
      sink.requests.filter((r) => r.headers['webhook-id'] === 'subuser.created:signup:msg_ann_later'),
    ).toHaveLength(2);
  });
});

describe('the hooks without an ExecutionContext', () => {
  it('announces inline when app.request() has no ExecutionContext', async () => {
    const sink = withSink();
    const customerId = newCustomerId();
    const response = await createApp().request(
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }),
      undefined,
      alertEnv,
    );
    expect(response.status).toBe(200);
    expect(sink.requests).toHaveLength(1);
  });
});
