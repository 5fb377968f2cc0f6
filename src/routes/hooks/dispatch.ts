/**
 * What both hook routes do once a delivery is verified and read: reject bad events with the fields
 * named, acknowledge event types we do not handle, resolve the plan, and hand the command to the
 * customer's CustomerProvisioner, answering with whatever it answers (the original answer on replay).
 */
import type { Context } from 'hono';
import { ConfigError, type Config } from '../../config';
import type { AppEnv } from '../../context';
import { ApiError } from '../../lib/api-error';
import { notifyOutsideTick } from '../../cycle/hand-over';
import { announcementNotification } from '../../provisioning/announce';
import type { HookSource, ParsedEvent, ProvisioningCommand } from '../../provisioning/command';
import type { CustomerProvisioner } from '../../provisioning/customer-provisioner';
import { grantsAccess } from '../../provisioning/holdings';
import { provisionerName } from '../../provisioning/label';
import type { Plans } from '../../config/plans';

/** Webhook bodies are small JSON documents; Stripe's largest events are well under this. */
export const MAX_HOOK_BODY_BYTES = 1_048_576;
/** Delivery ids become storage keys; Standard Webhooks and Stripe ids are far shorter. */
const MAX_DELIVERY_ID_LENGTH = 256;
export const REPLAY_HEADER = 'Webhook-Replayed';

export async function dispatch(
  c: Context<AppEnv>,
  source: HookSource,
  event: ParsedEvent,
): Promise<Response> {
  const log = c.get('log');
  if (event.kind === 'invalid') {
    throw new ApiError(400, 'invalid_event', `invalid ${event.issues.map((i) => i.field).join(', ')}`, {
      details: event.issues,
    });
  }
  if (event.deliveryId.length > MAX_DELIVERY_ID_LENGTH) {
    throw new ApiError(
      400,
      'invalid_event',
      `the delivery id is longer than ${MAX_DELIVERY_ID_LENGTH} characters`,
    );
  }
  if (event.kind === 'ignored') {
    log.info('webhook event type ignored', { source, deliveryId: event.deliveryId, event: event.eventType });
    return c.json(
      {
        delivery_id: event.deliveryId,
        event: event.eventType,
        outcome: 'ignored',
        reason: 'event type not handled',
      },
      200,
    );
  }

  const config = c.get('config');
  const command: ProvisioningCommand = {
    source,
    deliveryId: event.deliveryId,
    eventType: event.eventType,
    customerId: event.customerId,
    change: event.change,
    eventTimeMs: event.eventTimeMs,
    // Sizing needs PLANS whenever access is granted; a cancellation can do without when nothing is left.
    plans: grantsAccess(event.change) ? requirePlans(config) : (config.plans ?? null),
    returnCredentials: event.returnCredentials,
    webshareApiVersion: c.get('config').webshareApiVersion,
  };

  const namespace = c.env.PROVISIONER as DurableObjectNamespace<CustomerProvisioner> | undefined;
  if (!namespace) {
    throw new ConfigError(
      'PROVISIONER',
      'the PROVISIONER Durable Object binding is missing (see wrangler.toml)',
    );
  }
  // Each sender has its own object per customer id: a generic event never reaches a Stripe customer.
  const stub = namespace.get(namespace.idFromName(provisionerName(source, event.customerId)));
  const handled = await stub.handle(command);
  const { status, body, headers } = handled.response;
  log.info('webhook delivery handled', {
    source,
    deliveryId: event.deliveryId,
    event: event.eventType,
    customerId: event.customerId,
    status,
    replayed: handled.replayed,
  });
  if (handled.change) {
    const announcement = {
      ...handled.change,
      customerId: event.customerId,
      source,
      deliveryId: event.deliveryId,
    };
    const notification = announcementNotification(announcement, Date.now());
    const announcing = notifyOutsideTick(c.env, c.get('config'), [notification], log).then(([results]) => {
      for (const result of results ?? []) {
        if (result.outcome !== 'delivered')
          log.warn('sub-user announcement not delivered yet', { ...result });
      }
    });
    await inBackground(c, announcing);
  }
  const response = new Headers({ 'Content-Type': 'application/json; charset=UTF-8', ...headers });
  if (handled.replayed) response.set(REPLAY_HEADER, 'true');
  return c.body(body, status, Object.fromEntries(response));
}

/** After the response when the runtime allows it (waitUntil); inline where there is no ExecutionContext. */
async function inBackground(c: Context<AppEnv>, work: Promise<void>): Promise<void> {
  let context: { waitUntil(promise: Promise<unknown>): void } | undefined;
  try {
    context = c.executionCtx;
  } catch {
    // app.request() without an ExecutionContext: Hono's getter throws.
  }
  if (context) context.waitUntil(work);
  else await work;
}

function requirePlans(config: Config): Plans {
  if (config.plans) return config.plans;
  const problem = config.problems.find((p) => p.variable === 'PLANS');
  throw new ConfigError('PLANS', problem ? `PLANS is invalid: ${problem.message}` : 'PLANS is not set');
}
