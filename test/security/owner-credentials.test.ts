/**
 * On v2 a sub-user's credentials are read with the X-Subuser header. A server that ignored it would
 * answer the account owner's proxy username and password, which would then go to a customer. Against
 * the simulator's `ignore-x-subuser` quirk, no response, log line or notification carries the owner's
 * credentials: the hooks answer 5xx (their senders retry), the admin API and chat-ops a clear error,
 * and the operators get one alert.
 */
import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../sim';
import type { Env } from '../../src/env';
import { chatRig, plain, slack, slackDeferred } from '../chatops/helpers';
import { hoursAhead, setNow } from '../helpers/clock';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import {
  callWorker,
  hookEnv,
  newCustomerId,
  signupRequest,
  starterSignup,
  stripeEvent,
  stripeRequest,
  subUsersAtWebshare,
} from '../hooks/helpers';
import { captureConsole } from '../reliability/helpers';
import { ADMIN_TOKEN, callApp } from './helpers';

const SLACK_ALERTS = 'https://alerts.sink/slack';

interface Rig {
  sim: Simulator;
  env: Env;
  alerts: RecordingSink;
  /** The account owner's proxy username and password at the simulator. */
  owner: string[];
}

function rig(): Rig {
  const sim = createSimulator({ apiVersion: 'v2', quirks: ['ignore-x-subuser'] });
  const alerts = new RecordingSink();
  routeOutbound({ 'webshare.sim': sim.fetch, 'alerts.sink': alerts.fetch });
  const env: Env = { ...hookEnv, WEBSHARE_API_VERSION: 'v2', SLACK_WEBHOOK_URL: SLACK_ALERTS };
  return { sim, env, alerts, owner: [sim.state.config.username, sim.state.config.password] };
}

function expectNoOwnerCredentials(texts: string[], owner: string[]): void {
  for (const text of texts) for (const secret of owner) expect(text).not.toContain(secret);
}

describe('a v2 server that ignores X-Subuser', () => {
  const console = captureConsole();

  it('makes the signup hook answer 502, naming the cause, and a retry once it is fixed hands out the sub-user’s own', async () => {
    const { sim, env, owner } = rig();
    const customerId = newCustomerId();
    const request = () => starterSignup(customerId);

    const refused = await callWorker(request(), env);
    expect(refused.status).toBe(502);
    const text = await refused.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'webshare_subuser_header_ignored' } });
    expect(text).toContain('X-Subuser');
    expectNoOwnerCredentials([text, ...console.lines], owner);

    sim.control.setQuirks([]);
    const retried = await callWorker(request(), env);
    expect(retried.status).toBe(200);
    const body = (await retried.json()) as { subuser: { proxy_username: string; proxy_password: string } };
    const [user] = subUsersAtWebshare(sim, customerId);
    expect(subUsersAtWebshare(sim, customerId)).toHaveLength(1);
    expect(body.subuser).toMatchObject({
      proxy_username: user!.proxy_username,
      proxy_password: user!.proxy_password,
    });
    expectNoOwnerCredentials([JSON.stringify(body)], owner);
  });

  it('makes the Stripe hook answer 502', async () => {
    const { env, owner } = rig();
    const session = {
      id: `cs_test_${crypto.randomUUID().slice(0, 8)}`,
      object: 'checkout.session',
      mode: 'subscription',
      customer: newCustomerId(),
      metadata: { plan: 'starter' },
      payment_status: 'paid',
      subscription: 'sub_test_1',
    };
    const response = await callWorker(
      await stripeRequest(stripeEvent('checkout.session.completed', session)),
      env,
    );
    expect(response.status).toBe(502);
    expectNoOwnerCredentials([await response.text(), ...console.lines], owner);
  });

  it('makes the admin API answer a clear 502 for a new sub-user and for a sub-user’s proxy config', async () => {
    const { sim, env, owner } = rig();
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
    const created = await callApp(
      '/v1/subusers',
      { method: 'POST', headers: auth, body: JSON.stringify({ label: 'acme', proxy_limit: 2 }) },
      env,
    );
    expect(created.status).toBe(502);
    const createdText = await created.text();
    expect(JSON.parse(createdText).error.message).toMatch(/ignored X-Subuser/);

    const [user] = [...sim.state.subUsers.values()];
    const config = await callApp(`/v1/subusers/${user!.id}/proxy-config`, { headers: auth }, env);
    expect(config.status).toBe(502);
    expectNoOwnerCredentials([createdText, await config.text(), ...console.lines], owner);
  });

  it('makes chat-ops `subuser create` answer an error that says why', async () => {
    const chat = await chatRig({ WEBSHARE_API_VERSION: 'v2' });
    chat.sim.control.setQuirks(['ignore-x-subuser']);
    await slack(chat, 'subuser create customer-9 5');
    const answer = slackDeferred(chat);
    expect(plain(answer.text)).toMatch(/ignored X-Subuser/);
    expectNoOwnerCredentials(
      [JSON.stringify(answer), ...console.lines],
      [chat.sim.state.config.username, chat.sim.state.config.password],
    );
  });

  it('tells the operators once, not once per request', async () => {
    setNow(hoursAhead(24 * 40)); // a day no other test has warned on
    const { env, alerts, owner } = rig();
    for (let i = 0; i < 3; i++) {
      const customerId = newCustomerId();
      const request = signupRequest('customer.created', { customer_id: customerId, plan: 'starter' });
      expect((await callWorker(request, env)).status).toBe(502);
    }
    const warnings = alerts.requests.filter((r) => r.body.includes('ignored the X-Subuser header'));
    expect(warnings).toHaveLength(1);
    expectNoOwnerCredentials(
      alerts.requests.map((r) => r.body),
      owner,
    );
  });

  it('changes nothing on a server that honours it', async () => {
    const { sim, env } = rig();
    sim.control.setQuirks([]);
    const customerId = newCustomerId();
    const response = await callWorker(
      signupRequest('customer.created', { customer_id: customerId, plan: 'starter' }),
      env,
    );
    expect(response.status).toBe(200);
  });
});
