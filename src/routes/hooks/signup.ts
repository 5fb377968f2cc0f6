/**
 * `POST /hooks/signup`: a SaaS back end's customer lifecycle, signed per Standard Webhooks with
 * SIGNUP_WEBHOOK_SECRET. Raw body → signature (constant time, 5-minute window) → JSON → zod → provisioner.
 */
import { Hono } from 'hono/tiny';
import { requireSecret } from '../../config';
import type { AppEnv } from '../../context';
import { ApiError } from '../../lib/api-error';
import { parseJsonBody } from '../../lib/read-body';
import { WebhookSignatureError, verifyStandardWebhook } from '../../lib/standard-webhooks';
import { nowSeconds } from '../../lib/time';
import { parseSignupEvent } from '../../provisioning/signup-events';
import { readSignedBody } from '../../lib/read-body';
import { dispatch, MAX_HOOK_BODY_BYTES } from './dispatch';

export const signupHookRoutes = new Hono<AppEnv>().post('/signup', async (c) => {
  const secret = requireSecret(c.get('config').signupWebhookSecret, 'SIGNUP_WEBHOOK_SECRET');
  const body = await readSignedBody(c.req.raw, MAX_HOOK_BODY_BYTES);
  let deliveryId: string;
  try {
    ({ id: deliveryId } = await verifyStandardWebhook(secret, c.req.raw.headers, body, nowSeconds()));
  } catch (error) {
    if (error instanceof WebhookSignatureError) throw new ApiError(401, 'invalid_signature', error.message);
    throw error;
  }
  return dispatch(c, 'signup', parseSignupEvent(deliveryId, parseJsonBody(body)));
});
