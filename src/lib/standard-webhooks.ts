/**
 * Standard Webhooks (standardwebhooks.com) signing and verification: HMAC-SHA256 over
 * `{webhook-id}.{webhook-timestamp}.{body}` keyed with the base64 part of a `whsec_` secret,
 * sent as a space-separated list of `v1,<base64>` signatures.
 */
import { fromBase64, hmacSha256, timingSafeEqualBytes, toBase64, utf8 } from './crypto';

/** Spec: receivers should reject timestamps more than 5 minutes from now (replay protection). */
export const STANDARD_WEBHOOK_TOLERANCE_SECONDS = 300;
const SECRET_PREFIX = 'whsec_';

export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The key bytes of a `whsec_<base64>` secret; a secret without the prefix is taken as base64 too. */
export function secretKeyBytes(secret: string): Uint8Array<ArrayBuffer> {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = fromBase64(encoded);
  // A secret that is not base64 still works as raw bytes, so a hand-made secret is not silently useless.
  return bytes && bytes.length > 0 ? bytes : utf8(secret);
}

async function sign(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  return toBase64(await hmacSha256(secretKeyBytes(secret), `${id}.${timestampSeconds}.${body}`));
}

/** Headers for an outgoing signed delivery. */
export async function signStandardWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<StandardWebhookHeaders> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${await sign(secret, id, timestampSeconds, body)}`,
  };
}

/**
 * Verifies an incoming delivery; throws WebhookSignatureError saying what is wrong (never the secret).
 * Returns the delivery id, the dedup key for exactly-once processing.
 */
export async function verifyStandardWebhook(
  secret: string,
  headers: { get(name: string): string | null },
  body: string,
  nowSeconds: number,
  toleranceSeconds = STANDARD_WEBHOOK_TOLERANCE_SECONDS,
): Promise<{ id: string; timestamp: number }> {
  const id = headers.get('webhook-id');
  const timestampText = headers.get('webhook-timestamp');
  const signatures = headers.get('webhook-signature');
  if (!id || !timestampText || !signatures) {
    throw new WebhookSignatureError('missing webhook-id, webhook-timestamp or webhook-signature header');
  }
  if (!/^\d{1,12}$/.test(timestampText))
    throw new WebhookSignatureError('webhook-timestamp is not a unix time');
  const timestamp = Number(timestampText);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    throw new WebhookSignatureError('webhook-timestamp is outside the 5-minute tolerance');
  }
  const expected = fromBase64(await sign(secret, id, timestamp, body));
  if (!expected) throw new WebhookSignatureError('could not compute the signature');
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = fromBase64(value);
    if (given && (await timingSafeEqualBytes(given, expected))) return { id, timestamp };
  }
  throw new WebhookSignatureError('no valid v1 signature');
}
