/**
 * What both hook routes do once a delivery is verified and read: reject bad events with the fields
 * named, acknowledge event types we do not handle, resolve the plan, and hand the command to the
 * customer's CustomerProvisioner, answering with whatever it answers (the original answer on replay).
 */
import type { Context } from 'hono';
import { ConfigError, type Config } from '../../config';
import type { Notification } from '../../model/notification';
import type { AppEnv } from '../../context';
import { ApiError } from '../../lib/api-error';
import { notifyOutsideTick } from '../../cycle/hand-over';
import { warnSubUserHeaderIgnored } from '../../cycle/subuser-header-warning';
import { SUBUSER_HEADER_IGNORED_CODE } from '../../error-mapping';
import { inBackground } from '../in-background';
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
  const handled = checkedEvent(event);
  if (handled.kind === 'ignored') {
    log.info('webhook event type ignored', {
      source,
      deliveryId: handled.deliveryId,
      event: handled.eventType,
    });
    const ignored = { delivery_id: handled.deliveryId, event: handled.eventType, outcome: 'ignored' };
    return c.json({ ...ignored, reason: 'event type not handled' }, 200);
  }
  const result = await provisionerFor(c, source, handled.customerId).handle(commandFor(c, source, handled));
  const { status, body, headers } = result.response;
  if (status >= 500 && errorCodeOf(body) === SUBUSER_HEADER_IGNORED_CODE) {
    await inBackground(c, warnSubUserHeaderIgnored(c.env, c.get('config'), log, Date.now()));
  }
  const delivery = {
    source,
    deliveryId: handled.deliveryId,
    event: handled.eventType,
    customerId: handled.customerId,
    status,
  };
  // A replay changes nothing and a retrying sender may send many: at debug, they spend no log quota
  // (Workers Logs counts lines) and no CPU writing them. The first answer is logged at info.
  if (result.replayed) log.debug('webhook delivery replayed', delivery);
  else log.info('webhook delivery handled', delivery);
  if (result.change) {
    const announcement = {
      ...result.change,
      customerId: handled.customerId,
      source,
      deliveryId: handled.deliveryId,
    };
    await inBackground(c, announce(c, announcementNotification(announcement, Date.now())));
  }
  const response = new Headers({ 'Content-Type': 'application/json; charset=UTF-8', ...headers });
  if (result.replayed) response.set(REPLAY_HEADER, 'true');
  return c.body(body, status, Object.fromEntries(response));
}

/** A 400 for an event that does not parse or whose delivery id could not be a storage key. */
function checkedEvent(event: ParsedEvent): Exclude<ParsedEvent, { kind: 'invalid' }> {
  if (event.kind === 'invalid') {
    throw new ApiError(400, 'invalid_event', `invalid ${event.issues.map((i) => i.field).join(', ')}`, {
      details: event.issues,
    });
  }
  if (event.deliveryId.length > MAX_DELIVERY_ID_LENGTH) {
    const message = `the delivery id is longer than ${MAX_DELIVERY_ID_LENGTH} characters`;
    throw new ApiError(400, 'invalid_event', message);
  }
  return event;
}

function commandFor(
  c: Context<AppEnv>,
  source: HookSource,
  event: Extract<ParsedEvent, { kind: 'command' }>,
): ProvisioningCommand {
  const config = c.get('config');
  return {
    source,
    deliveryId: event.deliveryId,
    eventType: event.eventType,
    customerId: event.customerId,
    change: event.change,
    eventTimeMs: event.eventTimeMs,
    // Sizing needs PLANS whenever access is granted; a cancellation can do without when nothing is left.
    plans: grantsAccess(event.change) ? requirePlans(config) : (config.plans ?? null),
    returnCredentials: event.returnCredentials,
    dialect: config.dialect,
  };
}

/** Each sender has its own object per customer id: a generic event never reaches a Stripe customer. */
function provisionerFor(c: Context<AppEnv>, source: HookSource, customerId: string) {
  const namespace = c.env.PROVISIONER as DurableObjectNamespace<CustomerProvisioner> | undefined;
  if (!namespace) {
    throw new ConfigError(
      'PROVISIONER',
      'the PROVISIONER Durable Object binding is missing (see wrangler.toml)',
    );
  }
  return namespace.get(namespace.idFromName(provisionerName(source, customerId)));
}

/** The sub-user announcement, like any notification: once now, the rest through the next tick. */
async function announce(c: Context<AppEnv>, notification: Notification): Promise<void> {
  const log = c.get('log');
  const [results] = await notifyOutsideTick(c.env, c.get('config'), [notification], log);
  for (const result of results ?? []) {
    if (result.outcome !== 'delivered') log.warn('sub-user announcement not delivered yet', { ...result });
  }
}

function requirePlans(config: Config): Plans {
  if (config.plans) return config.plans;
  const problem = config.problems.find((p) => p.variable === 'PLANS');
  throw new ConfigError('PLANS', problem ? `PLANS is invalid: ${problem.message}` : 'PLANS is not set');
}

/** The error code of a provisioner's error answer (the one envelope), if it is one. */
function errorCodeOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } } | null;
    return typeof parsed?.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}
