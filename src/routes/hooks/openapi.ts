/**
 * The webhook receivers' entries in /openapi.json. Documented here and validated by hand in the
 * routes: the signature covers the raw body, so no validator may read or reshape it first.
 */
import * as z from 'zod';
import { type OpenAPIHono } from '../../lib/openapi-app';
import type { AppEnv } from '../../context';
import { PUBLIC_SECURITY, errorResponse, signedBodySchema } from '../openapi-common';

const HookResultSchema = z
  .object({
    delivery_id: z.string(),
    event: z.string(),
    outcome: z.string().openapi({ example: 'created' }),
  })
  .passthrough()
  .openapi('HookResult');

const rawJson = (description: string) => ({
  content: { 'application/json': { schema: signedBodySchema(description) } },
});

const hookErrors = {
  400: errorResponse('Signed, but not a valid event (names each bad field)'),
  401: errorResponse('Unsigned, tampered, stale or wrongly signed; nothing was done'),
  413: errorResponse('Body too large'),
  422: errorResponse('Unknown plan (names it); nothing was created'),
  503: errorResponse('The secret or PLANS is not set (names the variable), or Webshare failed: retry'),
};

export function documentHookRoutes(routes: OpenAPIHono<AppEnv>): void {
  routes.openAPIRegistry.registerPath({
    method: 'post',
    path: '/signup',
    tags: ['hooks'],
    security: PUBLIC_SECURITY,
    summary: 'Customer lifecycle from a SaaS back end (Standard Webhooks, SIGNUP_WEBHOOK_SECRET)',
    request: {
      headers: z.object({
        'webhook-id': z.string(),
        'webhook-timestamp': z.string().openapi({ example: '1764340000' }),
        'webhook-signature': z
          .string()
          .openapi({ example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' }),
      }),
      body: rawJson(
        '{"type":"customer.created"|"customer.updated"|"customer.deleted","timestamp":…,"data":{"customer_id","plan","email"?}}',
      ),
    },
    responses: {
      200: {
        description: 'Done (or replayed: `Webhook-Replayed: true`); customer.created carries the credentials',
        content: { 'application/json': { schema: HookResultSchema } },
      },
      ...hookErrors,
    },
  });
  routes.openAPIRegistry.registerPath({
    method: 'post',
    path: '/stripe',
    tags: ['hooks'],
    security: PUBLIC_SECURITY,
    summary: 'Stripe events: checkout and subscription lifecycle (Stripe-Signature, STRIPE_WEBHOOK_SECRET)',
    description:
      'Handles checkout.session.completed, checkout.session.async_payment_succeeded and ' +
      '_failed, and customer.subscription.created, updated, deleted, paused and resumed. The customer ' +
      'has a sub-user (label `stripe:<customer id>`) while a subscription is active, trialing or ' +
      'past_due, or a checkout is paid; it is sized to the highest live plan. Other types are ' +
      'acknowledged and ignored.',
    request: {
      headers: z.object({ 'Stripe-Signature': z.string().openapi({ example: 't=1764340000,v1=5257a869…' }) }),
      body: rawJson('A Stripe event exactly as Stripe sent it'),
    },
    responses: {
      200: {
        description: 'Done, replayed or ignored',
        content: { 'application/json': { schema: HookResultSchema } },
      },
      ...hookErrors,
    },
  });
}
