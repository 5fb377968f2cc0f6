/**
 * Every signature check, one matrix: Slack (HMAC, v0), Discord (Ed25519, a key pair made in the
 * test), Standard Webhooks (signed by the standardwebhooks library) and Stripe (the stripe library's
 * own test header) — each with a tampered body, a wrong secret or key, stale and future timestamps,
 * a replay, missing and malformed headers. Every forgery is refused with 401 before any work: nothing
 * reaches Webshare or a chat sink, and KV is unchanged. The genuine request is accepted, so the
 * matrix cannot pass by refusing everything.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/env';
import {
  PING,
  callWorker,
  chatRig,
  discordRequest,
  nowSeconds,
  slackRequest,
  type ChatRig,
} from '../chatops/helpers';
import {
  PLANS,
  SIGNUP_SECRET,
  STRIPE_SECRET,
  newCustomerId,
  signupRequest,
  stripeEvent,
  stripeRequest,
} from '../hooks/helpers';
import { dumpKv } from '../reliability/helpers';

const SIX_MINUTES_S = 6 * 60;
const HOOK_ENV: Partial<Env> = {
  SIGNUP_WEBHOOK_SECRET: SIGNUP_SECRET,
  STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
  PLANS,
};

/** A request with one header replaced (or removed with null). */
async function withHeader(request: Request, name: string, value: string | null): Promise<Request> {
  const headers = new Headers(request.headers);
  if (value === null) headers.delete(name);
  else headers.set(name, value);
  return new Request(request.url, { method: request.method, headers, body: await request.text() });
}

async function withBody(request: Request, change: (body: string) => string): Promise<Request> {
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: change(await request.text()),
  });
}

const flipLastHex = (value: string) => value.slice(0, -1) + (value.endsWith('0') ? '1' : '0');

interface Forgery {
  name: string;
  build: (rig: ChatRig) => Promise<Request>;
}

interface Scheme {
  name: string;
  genuine: (rig: ChatRig) => Promise<Request>;
  forgeries: Forgery[];
}

// ---- Slack ----------------------------------------------------------------------------------------

const slackGenuine = () => slackRequest('help');

const SLACK: Scheme = {
  name: 'Slack',
  genuine: slackGenuine,
  forgeries: [
    {
      name: 'tampered body',
      build: () => slackRequest('help', { tamper: (b) => b.replace('help', 'subusers') }),
    },
    { name: 'wrong secret', build: () => slackRequest('help', { secret: 'not-the-slack-signing-secret' }) },
    {
      name: 'stale timestamp',
      build: () => slackRequest('help', { timestamp: nowSeconds() - SIX_MINUTES_S }),
    },
    {
      name: 'future timestamp',
      build: () => slackRequest('help', { timestamp: nowSeconds() + SIX_MINUTES_S }),
    },
    {
      name: 'replay of a captured request with a fresh timestamp',
      build: async () =>
        withHeader(await slackGenuine(), 'X-Slack-Request-Timestamp', String(nowSeconds() + 1)),
    },
    { name: 'missing signature', build: () => slackRequest('help', { omit: ['X-Slack-Signature'] }) },
    { name: 'missing timestamp', build: () => slackRequest('help', { omit: ['X-Slack-Request-Timestamp'] }) },
    {
      name: 'signature in another version',
      build: async () => {
        const request = await slackGenuine();
        return withHeader(
          request,
          'X-Slack-Signature',
          request.headers.get('X-Slack-Signature')!.replace('v0=', 'v1='),
        );
      },
    },
    {
      name: 'signature not hex',
      build: async () => withHeader(await slackGenuine(), 'X-Slack-Signature', 'v0=zz' + 'z'.repeat(62)),
    },
    {
      name: 'signature one nibble off',
      build: async () => {
        const request = await slackGenuine();
        return withHeader(
          request,
          'X-Slack-Signature',
          flipLastHex(request.headers.get('X-Slack-Signature')!),
        );
      },
    },
    {
      name: 'timestamp not a number',
      build: async () => withHeader(await slackGenuine(), 'X-Slack-Request-Timestamp', 'yesterday'),
    },
    { name: 'empty signature', build: async () => withHeader(await slackGenuine(), 'X-Slack-Signature', '') },
  ],
};

// ---- Discord --------------------------------------------------------------------------------------

const discordGenuine = (rig: ChatRig) => discordRequest(rig, PING);

const DISCORD: Scheme = {
  name: 'Discord',
  genuine: discordGenuine,
  forgeries: [
    {
      name: 'tampered body',
      build: (rig) => discordRequest(rig, PING, { tamper: (b) => b.replace('"type":1', '"type":2') }),
    },
    {
      name: 'wrong key',
      build: async (rig) => {
        const other = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
          'sign',
          'verify',
        ])) as CryptoKeyPair;
        return discordRequest(rig, PING, { keys: other });
      },
    },
    {
      name: 'stale timestamp',
      build: (rig) => discordRequest(rig, PING, { timestamp: nowSeconds() - SIX_MINUTES_S }),
    },
    {
      name: 'future timestamp',
      build: (rig) => discordRequest(rig, PING, { timestamp: nowSeconds() + SIX_MINUTES_S }),
    },
    {
      name: 'replay of a captured request with a fresh timestamp',
      build: async (rig) =>
        withHeader(await discordGenuine(rig), 'X-Signature-Timestamp', String(nowSeconds() + 1)),
    },
    {
      name: 'missing signature',
      build: (rig) => discordRequest(rig, PING, { omit: ['X-Signature-Ed25519'] }),
    },
    {
      name: 'missing timestamp',
      build: (rig) => discordRequest(rig, PING, { omit: ['X-Signature-Timestamp'] }),
    },
    {
      name: 'signature not hex',
      build: async (rig) => withHeader(await discordGenuine(rig), 'X-Signature-Ed25519', 'x'.repeat(128)),
    },
    {
      name: 'signature too short',
      build: async (rig) => {
        const request = await discordGenuine(rig);
        return withHeader(
          request,
          'X-Signature-Ed25519',
          request.headers.get('X-Signature-Ed25519')!.slice(0, 64),
        );
      },
    },
    {
      name: 'signature one nibble off',
      build: async (rig) => {
        const request = await discordGenuine(rig);
        return withHeader(
          request,
          'X-Signature-Ed25519',
          flipLastHex(request.headers.get('X-Signature-Ed25519')!),
        );
      },
    },
    {
      name: 'timestamp not a number',
      build: async (rig) => withHeader(await discordGenuine(rig), 'X-Signature-Timestamp', 'soon'),
    },
  ],
};

// ---- Standard Webhooks (signup) -------------------------------------------------------------------

const signupData = () => ({ customer_id: newCustomerId(), plan: 'starter' });
const signupGenuine = async () => signupRequest('customer.created', signupData());

const SIGNUP: Scheme = {
  name: 'Standard Webhooks (signup)',
  genuine: signupGenuine,
  forgeries: [
    {
      name: 'tampered body',
      build: async () => withBody(await signupGenuine(), (b) => b.replace('starter', 'pro')),
    },
    {
      name: 'wrong secret',
      build: async () =>
        signupRequest('customer.created', signupData(), {
          secret: 'whsec_' + btoa('another-secret-entirely-0000000'),
        }),
    },
    {
      name: 'stale timestamp',
      build: async () =>
        signupRequest('customer.created', signupData(), {
          signedAt: new Date(Date.now() - SIX_MINUTES_S * 1000),
        }),
    },
    {
      name: 'future timestamp',
      build: async () =>
        signupRequest('customer.created', signupData(), {
          signedAt: new Date(Date.now() + SIX_MINUTES_S * 1000),
        }),
    },
    {
      name: 'replay of a captured delivery under a new id',
      build: async () => withHeader(await signupGenuine(), 'webhook-id', `msg_${crypto.randomUUID()}`),
    },
    {
      name: 'missing webhook-signature',
      build: async () => withHeader(await signupGenuine(), 'webhook-signature', null),
    },
    {
      name: 'missing webhook-timestamp',
      build: async () => withHeader(await signupGenuine(), 'webhook-timestamp', null),
    },
    { name: 'missing webhook-id', build: async () => withHeader(await signupGenuine(), 'webhook-id', null) },
    {
      name: 'signature not base64',
      build: async () => withHeader(await signupGenuine(), 'webhook-signature', 'v1,!!!not base64!!!'),
    },
    {
      name: 'signature in another version',
      build: async () => {
        const request = await signupGenuine();
        return withHeader(
          request,
          'webhook-signature',
          request.headers.get('webhook-signature')!.replace('v1,', 'v1a,'),
        );
      },
    },
    {
      name: 'signature without a version',
      build: async () => {
        const request = await signupGenuine();
        return withHeader(
          request,
          'webhook-signature',
          request.headers.get('webhook-signature')!.replace('v1,', ''),
        );
      },
    },
    {
      name: 'timestamp not a number',
      build: async () => withHeader(await signupGenuine(), 'webhook-timestamp', '17e8'),
    },
  ],
};

// ---- Stripe ---------------------------------------------------------------------------------------

const stripeCheckout = () =>
  stripeEvent('checkout.session.completed', {
    id: `cs_test_${crypto.randomUUID().replaceAll('-', '')}`,
    object: 'checkout.session',
    customer: newCustomerId(),
    mode: 'subscription',
    status: 'complete',
    payment_status: 'paid',
    metadata: { plan: 'starter' },
  });
const stripeGenuine = () => stripeRequest(stripeCheckout());

const STRIPE: Scheme = {
  name: 'Stripe',
  genuine: stripeGenuine,
  forgeries: [
    {
      name: 'tampered body',
      build: async () => withBody(await stripeGenuine(), (b) => b.replace('starter', 'pro')),
    },
    {
      name: 'wrong secret',
      build: () => stripeRequest(stripeCheckout(), { secret: 'whsec_not_the_endpoint_secret' }),
    },
    {
      name: 'stale timestamp',
      build: () => stripeRequest(stripeCheckout(), { signedAt: nowSeconds() - SIX_MINUTES_S }),
    },
    {
      name: 'future timestamp',
      build: () => stripeRequest(stripeCheckout(), { signedAt: nowSeconds() + SIX_MINUTES_S }),
    },
    {
      name: 'replay of a captured delivery with a fresh timestamp',
      build: async () => {
        const request = await stripeGenuine();
        const header = request.headers.get('Stripe-Signature')!;
        return withHeader(request, 'Stripe-Signature', header.replace(/t=\d+/, `t=${nowSeconds() + 1}`));
      },
    },
    {
      name: 'missing Stripe-Signature',
      build: async () => withHeader(await stripeGenuine(), 'Stripe-Signature', null),
    },
    {
      name: 'header without t=',
      build: async () => {
        const request = await stripeGenuine();
        return withHeader(
          request,
          'Stripe-Signature',
          request.headers.get('Stripe-Signature')!.replace(/t=\d+,?/, ''),
        );
      },
    },
    {
      name: 'header without v1=',
      build: async () => {
        const request = await stripeGenuine();
        return withHeader(
          request,
          'Stripe-Signature',
          request.headers.get('Stripe-Signature')!.replace(/,?v1=[0-9a-f]+/, ''),
        );
      },
    },
    {
      name: 'only a v0 signature',
      build: async () => {
        const request = await stripeGenuine();
        return withHeader(
          request,
          'Stripe-Signature',
          request.headers.get('Stripe-Signature')!.replace('v1=', 'v0='),
        );
      },
    },
    {
      name: 'garbage header',
      build: async () => withHeader(await stripeGenuine(), 'Stripe-Signature', 'garbage'),
    },
    {
      name: 'timestamp not a number',
      build: async () => {
        const request = await stripeGenuine();
        return withHeader(
          request,
          'Stripe-Signature',
          request.headers.get('Stripe-Signature')!.replace(/t=\d+/, 't=now'),
        );
      },
    },
  ],
};

const SCHEMES = [SLACK, DISCORD, SIGNUP, STRIPE];
const FORGERIES = SCHEMES.flatMap((scheme) => scheme.forgeries.map((f) => ({ scheme: scheme.name, ...f })));

describe('signature checks', () => {
  let rig: ChatRig;
  beforeEach(async () => {
    rig = await chatRig(HOOK_ENV);
  });

  it.each(FORGERIES)('$scheme: refuses $name with 401 and does nothing', async ({ build }) => {
    const request = await build(rig);
    const kvBefore = await dumpKv();
    const response = await callWorker(rig.env, request);
    const text = await response.text();
    expect(response.status, text).toBe(401);
    expect(rig.sim.requests).toEqual([]);
    expect(rig.sim.state.subUsers.size).toBe(0);
    expect(rig.slack.requests).toEqual([]);
    expect(rig.discord.requests).toEqual([]);
    expect(await dumpKv()).toBe(kvBefore);
    for (const secret of [SIGNUP_SECRET, STRIPE_SECRET, 'slack-signing-secret-5f4e3d2c1b0a'])
      expect(text).not.toContain(secret);
  });

  it.each(SCHEMES)(
    '$name: accepts the genuine request (the matrix is not refusing everything)',
    async (scheme) => {
      const response = await callWorker(rig.env, await scheme.genuine(rig));
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      await response.body?.cancel();
    },
  );

  it.each([
    { name: 'Standard Webhooks (signup)', genuine: signupGenuine },
    { name: 'Stripe', genuine: stripeGenuine },
  ])('$name: a replayed delivery gets the first answer and provisions nothing twice', async ({ genuine }) => {
    const request = await genuine();
    const body = await request.clone().text();
    const first = await callWorker(rig.env, request.clone());
    expect(first.status).toBeLessThan(300);
    const firstBody = await first.text();
    const callsAfterFirst = rig.sim.requests.filter((r) => r.method !== 'GET').length;
    expect(rig.sim.state.subUsers.size).toBe(1);

    const replay = await callWorker(
      rig.env,
      new Request(request.url, { method: 'POST', headers: request.headers, body }),
    );
    expect(replay.status).toBe(first.status);
    expect(replay.headers.get('Webhook-Replayed')).toBe('true');
    expect(await replay.text()).toBe(firstBody);
    expect(rig.sim.requests.filter((r) => r.method !== 'GET')).toHaveLength(callsAfterFirst);
    expect(rig.sim.state.subUsers.size).toBe(1);
  });

  it('Slack: a retry of a delivered command is acknowledged without running it again', async () => {
    const request = await slackRequest('help', {
      headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' },
    });
    const response = await callWorker(rig.env, request);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(rig.slack.requests).toEqual([]);
  });

  it('refuses every scheme with 503, naming the variable, when its secret is not configured', async () => {
    const unset: Partial<Env> = {
      SLACK_SIGNING_SECRET: undefined,
      DISCORD_PUBLIC_KEY: undefined,
      SIGNUP_WEBHOOK_SECRET: undefined,
      STRIPE_WEBHOOK_SECRET: undefined,
    };
    for (const scheme of SCHEMES) {
      const response = await callWorker({ ...rig.env, ...unset }, await scheme.genuine(rig));
      expect(response.status, scheme.name).toBe(503);
      expect(await response.text(), scheme.name).toMatch(
        /SLACK_SIGNING_SECRET|DISCORD_PUBLIC_KEY|SIGNUP_WEBHOOK_SECRET|STRIPE_WEBHOOK_SECRET/,
      );
    }
    expect(rig.sim.requests).toEqual([]);
  });
});
