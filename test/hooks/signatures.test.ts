import { describe, expect, it } from 'vitest';
import { MAX_HOOK_BODY_BYTES } from '../../src/routes/hooks/dispatch';
import { PULL_SLACK_BYTES, chunkedBody } from '../helpers/streams';
import {
  STRIPE_SECRET,
  callWorker,
  newCustomerId,
  signupRequest,
  stripeEvent,
  stripeRequest,
  useSimulator,
} from './helpers';

const sim = useSimulator();
const SIX_MINUTES_MS = 6 * 60 * 1000;

async function expectRejected(request: Request): Promise<void> {
  const response = await callWorker(request);
  expect(response.status).toBe(401);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('invalid_signature');
  // Nothing reached Webshare: no sub-user, no lookup.
  expect(sim().requests).toHaveLength(0);
}

function createdData() {
  return { customer_id: newCustomerId(), plan: 'starter' };
}

describe('signup hook signatures', () => {
  it('refuses an unsigned delivery', async () => {
    const signed = signupRequest('customer.created', createdData());
    const unsigned = new Request(signed.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: await signed.text(),
    });
    await expectRejected(unsigned);
  });

  it('refuses a tampered body', async () => {
    const signed = signupRequest('customer.created', createdData());
    const tampered = (await signed.text()).replace('starter', 'pro');
    await expectRejected(
      new Request(signed.url, { method: 'POST', headers: signed.headers, body: tampered }),
    );
  });

  it('refuses a delivery signed with another secret', async () => {
    await expectRejected(
      signupRequest('customer.created', createdData(), { secret: 'whsec_' + btoa('someone-elses-secret') }),
    );
  });

  it.each([
    ['stale', -SIX_MINUTES_MS],
    ['from the future', SIX_MINUTES_MS],
  ])('refuses a delivery signed 6 minutes %s', async (_name, offsetMs) => {
    await expectRejected(
      signupRequest('customer.created', createdData(), { signedAt: new Date(Date.now() + offsetMs) }),
    );
  });

  it('accepts a delivery signed 4 minutes ago', async () => {
    const response = await callWorker(
      signupRequest('customer.created', createdData(), { signedAt: new Date(Date.now() - 4 * 60 * 1000) }),
    );
    expect(response.status).toBe(200);
  });
});

describe('Stripe hook signatures', () => {
  const session = () => ({
    id: 'cs_test_1',
    object: 'checkout.session',
    customer: newCustomerId(),
    metadata: { plan: 'starter' },
  });

  it('refuses a delivery without Stripe-Signature', async () => {
    const signed = await stripeRequest(stripeEvent('checkout.session.completed', session()));
    await expectRejected(
      new Request(signed.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: await signed.text(),
      }),
    );
  });

  it('refuses a tampered body', async () => {
    const signed = await stripeRequest(stripeEvent('checkout.session.completed', session()));
    const tampered = (await signed.text()).replace('starter', 'pro');
    await expectRejected(
      new Request(signed.url, { method: 'POST', headers: signed.headers, body: tampered }),
    );
  });

  it('refuses a delivery signed with another endpoint secret', async () => {
    await expectRejected(
      await stripeRequest(stripeEvent('checkout.session.completed', session()), {
        secret: `${STRIPE_SECRET}x`,
      }),
    );
  });

  it('refuses a delivery signed more than 300 s ago', async () => {
    await expectRejected(
      await stripeRequest(stripeEvent('checkout.session.completed', session()), {
        signedAt: Math.floor(Date.now() / 1000) - 301,
      }),
    );
  });

  it('refuses a Standard Webhooks signature sent to the Stripe endpoint', async () => {
    const signup = signupRequest('customer.created', createdData());
    await expectRejected(
      new Request('https://worker.test/hooks/stripe', {
        method: 'POST',
        headers: signup.headers,
        body: signup.body,
      }),
    );
  });
});

describe('hook bodies', () => {
  it('refuses a body over 1 MiB with 413 before verifying anything', async () => {
    const response = await callWorker(
      new Request('https://worker.test/hooks/signup', { method: 'POST', body: 'x'.repeat(1_048_577) }),
    );
    expect(response.status).toBe(413);
    expect(sim().requests).toHaveLength(0);
  });

  it.each([['/hooks/signup'], ['/hooks/stripe']])(
    'refuses a chunked body (no Content-Length) over 1 MiB on %s with 413, without reading it to the end',
    async (path) => {
      const chunked = chunkedBody(4 * MAX_HOOK_BODY_BYTES);
      const response = await callWorker(
        new Request(`https://worker.test${path}`, { method: 'POST', body: chunked.body }),
      );
      expect(response.status).toBe(413);
      expect(chunked.pulledBytes()).toBeLessThanOrEqual(MAX_HOOK_BODY_BYTES + PULL_SLACK_BYTES);
      expect(sim().requests).toHaveLength(0);
    },
  );
});
