import { describe, expect, it } from 'vitest';
import {
  callWorker,
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
        label: `cust:${customerId}`,
        proxy_limit: 5,
        max_thread_count: 50,
        proxy_username: subUser!.proxy_username,
        proxy_password: subUser!.proxy_password,
      },
    });
    expect(subUser).toMatchObject({ proxy_limit: 5, max_thread_count: 50 });
    expect(await provisionerState(customerId)).toMatchObject({
      status: 'active',
      subUserId: subUser!.id,
      plan: 'starter',
      pending: null,
    });
  });

  it('answers a replayed delivery with the original result and does nothing new', async () => {
    const customerId = newCustomerId();
    const id = 'msg_replay_1';
    const first = await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }, { id }),
    );
    const firstText = await first.text();
    const callsAfterFirst = sim().requests.length;

    const again = await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }, { id }),
    );
    expect(again.status).toBe(200);
    expect(again.headers.get('Webhook-Replayed')).toBe('true');
    expect(await again.text()).toBe(firstText);
    expect(sim().requests.length).toBe(callsAfterFirst);
    expect(subUsersAtWebshare(sim(), customerId)).toHaveLength(1);
  });
});
