import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import {
  StripeSignatureError,
  parseStripeSignatureHeader,
  verifyStripeSignature,
} from '../../src/lib/stripe-signature';

const SECRET = 'whsec_test_secret_0123456789abcdef';
const BODY = JSON.stringify({ id: 'evt_1', type: 'customer.subscription.created' });
const NOW = 1_800_000_000;
const stripe = new Stripe('sk_test_not_used');

function header(options: { secret?: string; timestamp?: number; payload?: string } = {}): Promise<string> {
  return stripe.webhooks.generateTestHeaderStringAsync({
    payload: options.payload ?? BODY,
    secret: options.secret ?? SECRET,
    timestamp: options.timestamp ?? NOW,
  });
}

describe('Stripe-Signature verification', () => {
  it('accepts a header made by the stripe library', async () => {
    await expect(verifyStripeSignature(SECRET, await header(), BODY, NOW)).resolves.toEqual({
      timestamp: NOW,
    });
  });

  it('accepts any matching v1 among several (a secret being rolled)', async () => {
    const good = await header();
    const rolled = `t=${NOW},v1=${'0'.repeat(64)},${good.split(',')[1]},v0=abc`;
    await expect(verifyStripeSignature(SECRET, rolled, BODY, NOW)).resolves.toEqual({ timestamp: NOW });
  });

  it('agrees with the stripe library on what it accepts', async () => {
    const signed = await header();
    await expect(
      stripe.webhooks.constructEventAsync(BODY, signed, SECRET, 300, undefined, NOW),
    ).resolves.toMatchObject({
      id: 'evt_1',
    });
    await expect(verifyStripeSignature(SECRET, signed, BODY, NOW)).resolves.toBeDefined();
  });

  it.each([
    ['a tampered body', { body: BODY.replace('created', 'deleted') }],
    ['another secret', { secret: `${SECRET}-other` }],
    ['a stale timestamp', { now: NOW + 301 }],
    ['a future timestamp', { now: NOW - 301 }],
  ])('rejects %s', async (_name, change: { body?: string; secret?: string; now?: number }) => {
    const verifying = verifyStripeSignature(
      change.secret ?? SECRET,
      await header(),
      change.body ?? BODY,
      change.now ?? NOW,
    );
    await expect(verifying).rejects.toBeInstanceOf(StripeSignatureError);
  });

  it.each([
    ['no header', null],
    ['an empty header', ''],
    ['no timestamp', 'v1=abcd'],
    ['no v1', `t=${NOW},v0=abcd`],
    ['a non-numeric timestamp', 't=soon,v1=abcd'],
  ])('rejects %s without naming the secret', async (_name, value) => {
    const error = await verifyStripeSignature(SECRET, value, BODY, NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StripeSignatureError);
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('parses t and every v1, skipping other schemes', () => {
    expect(parseStripeSignatureHeader('t=12,v1=aa,v0=bb,v1=cc')).toEqual({
      timestamp: 12,
      signatures: ['aa', 'cc'],
    });
  });
});
