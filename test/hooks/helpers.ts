/**
 * Shared setup of the signup-hook tests: a fresh Webshare simulator per test, the real worker with the
 * hook secrets and PLANS added to its env, and deliveries signed by the senders' own libraries
 * (standardwebhooks for the generic hook, stripe for Stripe).
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { beforeEach } from 'vitest';
import { createSimulator, type Simulator } from '../../sim';
import type { Env } from '../../src/env';
import worker from '../../src/index';
import type { HookSource } from '../../src/provisioning/command';
import type { CustomerProvisioner } from '../../src/provisioning/customer-provisioner';
import { routeOutbound } from '../helpers/outbound';

export const SIGNUP_SECRET = 'whsec_' + btoa('signup-hook-secret-for-tests-0123');
export const STRIPE_SECRET = 'whsec_stripe_endpoint_secret_for_tests_4567';
export const PLANS = {
  starter: { proxy_limit: 5, max_thread_count: 50 },
  pro: { proxy_limit: 50, max_thread_count: 200 },
};
export const ORIGIN = 'https://worker.test';

export const baseEnv = env as unknown as Env;
export const hookEnv: Env = {
  ...baseEnv,
  SIGNUP_WEBHOOK_SECRET: SIGNUP_SECRET,
  STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
  PLANS,
};

const stripe = new Stripe('sk_test_not_used_for_requests');

/** Installs a fresh simulator before each test of the calling file; read it through the getter. */
export function useSimulator(): () => Simulator {
  let current: Simulator | undefined;
  beforeEach(() => {
    current = createSimulator();
    routeOutbound({ 'webshare.sim': current.fetch });
  });
  return () => {
    if (!current) throw new Error('useSimulator() must run in a describe or file scope');
    return current;
  };
}

/** A customer id no other test uses: Durable Objects keep their storage for the whole file. */
export function newCustomerId(): string {
  return `cus_${crypto.randomUUID().replaceAll('-', '').slice(0, 14)}`;
}

/** The real worker's fetch with a chosen env, waiting for its background work. */
export async function callWorker(request: Request, workerEnv: Env = hookEnv): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export interface SignupDelivery {
  id?: string;
  /** When the sender signs; defaults to now. */
  signedAt?: Date;
  secret?: string;
  /** The event time in the envelope; omitted when null. */
  timestamp?: string | null;
}

/** Builds a Standard Webhooks signup delivery signed by the standardwebhooks library. */
export function signupRequest(type: string, data: unknown, delivery: SignupDelivery = {}): Request {
  const id = delivery.id ?? `msg_${crypto.randomUUID()}`;
  const signedAt = delivery.signedAt ?? new Date();
  const envelope: Record<string, unknown> = { type, data };
  if (delivery.timestamp !== null) envelope.timestamp = delivery.timestamp ?? new Date().toISOString();
  const body = JSON.stringify(envelope);
  const signature = new Webhook(delivery.secret ?? SIGNUP_SECRET).sign(id, signedAt, body);
  return new Request(`${ORIGIN}/hooks/signup`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  });
}

/** A customer's signup on the starter plan under a delivery id of its own: sent again, it is a redelivery. */
export function starterSignup(customerId: string): Request {
  return signupRequest(
    'customer.created',
    { customer_id: customerId, plan: 'starter' },
    { id: `msg_${customerId}` },
  );
}

export interface StripeDelivery {
  secret?: string;
  /** Unix seconds the header is signed at; defaults to now. */
  signedAt?: number;
}

/** A Stripe event as Stripe would send it. */
export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  options: { id?: string; created?: number } = {},
): Record<string, unknown> {
  return {
    id: options.id ?? `evt_${crypto.randomUUID().replaceAll('-', '')}`,
    object: 'event',
    api_version: '2025-10-29.clover',
    created: options.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

/** Builds a Stripe delivery whose header comes from the stripe library's own test helper. */
export async function stripeRequest(event: unknown, delivery: StripeDelivery = {}): Promise<Request> {
  const payload = JSON.stringify(event);
  const header = await stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: delivery.secret ?? STRIPE_SECRET,
    timestamp: delivery.signedAt ?? Math.floor(Date.now() / 1000),
  });
  return new Request(`${ORIGIN}/hooks/stripe`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': header },
    body: payload,
  });
}

/** The customer's Durable Object, as the worker reaches it: one per sender and customer id. */
export function provisioner(customerId: string, source: HookSource = 'signup') {
  const namespace = baseEnv.PROVISIONER as unknown as DurableObjectNamespace<CustomerProvisioner>;
  return namespace.get(namespace.idFromName(`${source} ${customerId}`));
}

/** What the customer's Durable Object remembers. */
export async function provisionerState(customerId: string, source: HookSource = 'signup') {
  return provisioner(customerId, source).state();
}

/** The simulator's sub-users carrying the customer's label (`signup:<id>` or `stripe:<id>`). */
export function subUsersAtWebshare(sim: Simulator, customerId: string, source: HookSource = 'signup') {
  return [...sim.state.subUsers.values()].filter((s) => s.label === `${source}:${customerId}`);
}

/** Webshare requests the simulator saw, as `METHOD path`. */
export function webshareCalls(sim: Simulator, method?: string): string[] {
  return sim.requests.filter((r) => !method || r.method === method).map((r) => `${r.method} ${r.path}`);
}
