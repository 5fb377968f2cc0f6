/**
 * `POST /hooks/stripe`: Stripe subscription lifecycle, verified with STRIPE_WEBHOOK_SECRET
 * (`Stripe-Signature`, HMAC-SHA256 hex, 300 s window). The Stripe event id is the delivery id.
 */
import { Hono } from 'hono/tiny';
import { requireSecret } from '../../config';
import type { AppEnv } from '../../context';
import { ApiError } from '../../lib/api-error';
import { parseJsonBody } from '../../lib/read-body';
import { StripeSignatureError, verifyStripeSignature } from '../../lib/stripe-signature';
import { nowSeconds } from '../../lib/time';
import { parseStripeEvent } from '../../provisioning/stripe-events';
import { readSignedBody } from '../../lib/read-body';
import { dispatch, MAX_HOOK_BODY_BYTES } from './dispatch';

export const stripeHookRoutes = new Hono<AppEnv>().post('/stripe', async (c) => {
  const secret = requireSecret(c.get('config').stripeWebhookSecret, 'STRIPE_WEBHOOK_SECRET');
  const body = await readSignedBody(c.req.raw, MAX_HOOK_BODY_BYTES);
  try {
    await verifyStripeSignature(secret, c.req.header('Stripe-Signature'), body, nowSeconds());
  } catch (error) {
    if (error instanceof StripeSignatureError) throw new ApiError(401, 'invalid_signature', error.message);
    throw error;
  }
  return dispatch(c, 'stripe', parseStripeEvent(parseJsonBody(body)));
});
