import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  WebhookSignatureError,
  signStandardWebhook,
  verifyStandardWebhook,
} from '../../src/lib/standard-webhooks';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BODY = JSON.stringify({ type: 'customer.created', data: { customer_id: 'cus_1', plan: 'starter' } });

describe('Standard Webhooks signatures', () => {
  it('signs deliveries that the standardwebhooks library verifies', async () => {
    const now = Math.floor(Date.now() / 1000);
    const headers = await signStandardWebhook(SECRET, 'msg_1', now, BODY);
    const payload = new Webhook(SECRET).verify(BODY, { ...headers });
    expect(payload).toEqual(JSON.parse(BODY));
  });

  it('verifies deliveries signed by the standardwebhooks library', async () => {
    const now = Math.floor(Date.now() / 1000);
    const signature = new Webhook(SECRET).sign('msg_2', new Date(now * 1000), BODY);
    const headers = new Headers({
      'webhook-id': 'msg_2',
      'webhook-timestamp': String(now),
      'webhook-signature': signature,
    });
    await expect(verifyStandardWebhook(SECRET, headers, BODY, now)).resolves.toEqual({
      id: 'msg_2',
      timestamp: now,
    });
  });

  it('accepts any valid signature of a space-separated list', async () => {
    const now = 1_800_000_000;
    const good = (await signStandardWebhook(SECRET, 'msg_3', now, BODY))['webhook-signature'];
    const headers = new Headers({
      'webhook-id': 'msg_3',
      'webhook-timestamp': String(now),
      'webhook-signature': `v1,AAAA v2,zzz ${good}`,
    });
    await expect(verifyStandardWebhook(SECRET, headers, BODY, now)).resolves.toMatchObject({ id: 'msg_3' });
  });

  it.each([
    ['a tampered body', { body: BODY.replace('starter', 'pro') }],
    ['a wrong secret', { secret: 'whsec_' + btoa('another secret entirely') }],
    ['a stale timestamp', { now: 1_800_000_000 + 301 }],
    ['a future timestamp', { now: 1_800_000_000 - 301 }],
  ])('rejects %s', async (_name, change: { body?: string; secret?: string; now?: number }) => {
    const signedAt = 1_800_000_000;
    const headers = new Headers({ ...(await signStandardWebhook(SECRET, 'msg_4', signedAt, BODY)) });
    const verifying = verifyStandardWebhook(
      change.secret ?? SECRET,
      headers,
      change.body ?? BODY,
      change.now ?? signedAt,
    );
    await expect(verifying).rejects.toBeInstanceOf(WebhookSignatureError);
  });

  it.each([
    ['missing headers', {}],
    [
      'a malformed timestamp',
      { 'webhook-id': 'm', 'webhook-timestamp': 'soon', 'webhook-signature': 'v1,AAAA' },
    ],
    [
      'a malformed signature',
      { 'webhook-id': 'm', 'webhook-timestamp': '1800000000', 'webhook-signature': 'garbage' },
    ],
  ])('rejects %s without naming the secret', async (_name, raw: Record<string, string>) => {
    const error = await verifyStandardWebhook(SECRET, new Headers(raw), BODY, 1_800_000_000).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect(String((error as Error).message)).not.toContain(SECRET.slice(6));
  });
});
