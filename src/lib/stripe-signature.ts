/**
 * Stripe webhook signatures (docs.stripe.com/webhooks#verify-manually): the `Stripe-Signature` header
 * is `t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]`, each v1 an HMAC-SHA256 of `{t}.{raw body}` keyed
 * with the whole endpoint secret (`whsec_…` included — unlike Standard Webhooks, nothing is decoded).
 */
import { hmacSha256, timingSafeEqualStrings, toHex } from './crypto';

/** Stripe's own libraries default to a 300 s tolerance against replays. */
export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

export class StripeSignatureError extends Error {
  override name = 'StripeSignatureError';
}

export interface StripeSignatureHeader {
  timestamp: number;
  /** Every `v1` value; Stripe sends several while an endpoint secret is being rolled. */
  signatures: string[];
}

/** Parses the header; null when it has no `t` or no `v1`. Unknown schemes (v0, test) are skipped. */
export function parseStripeSignatureHeader(header: string): StripeSignatureHeader | null {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) continue;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value !== '') signatures.push(value);
  }
  return timestamp === undefined || signatures.length === 0 ? null : { timestamp, signatures };
}

/**
 * Verifies a delivery against the raw body; throws StripeSignatureError saying what is wrong (never
 * the secret). Every candidate is compared in constant time.
 */
export async function verifyStripeSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = STRIPE_SIGNATURE_TOLERANCE_SECONDS,
): Promise<{ timestamp: number }> {
  if (!header) throw new StripeSignatureError('missing Stripe-Signature header');
  const parsed = parseStripeSignatureHeader(header);
  if (!parsed) throw new StripeSignatureError('Stripe-Signature has no t= timestamp or no v1= signature');
  if (Math.abs(nowSeconds - parsed.timestamp) > toleranceSeconds) {
    throw new StripeSignatureError(
      `Stripe-Signature timestamp is outside the ${toleranceSeconds} s tolerance`,
    );
  }
  const expected = toHex(await hmacSha256(secret, `${parsed.timestamp}.${body}`));
  let valid = false;
  // Every candidate is checked (no early exit), so timing does not reveal which one matched.
  for (const candidate of parsed.signatures) {
    if (await timingSafeEqualStrings(candidate.toLowerCase(), expected)) valid = true;
  }
  if (!valid) throw new StripeSignatureError('no valid v1 signature');
  return { timestamp: parsed.timestamp };
}
