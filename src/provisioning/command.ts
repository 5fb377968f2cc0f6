/**
 * What a verified webhook delivery asks of a customer's provisioner, whichever sender it came from.
 * Routes turn a signup or Stripe event into one of these; the CustomerProvisioner executes it.
 * Plain data only: it crosses the Durable Object RPC boundary.
 */
import type { Plans } from '../config/plans';
import type { DialectSetting } from '../model/dialect';
import type { HoldingChange } from './holdings';

export type HookSource = 'signup' | 'stripe';
/** What an attempt set out to do, kept in its pending marker: make the sub-user exist, or remove it. */
export type CustomerAction = 'create' | 'update' | 'delete';

export interface ProvisioningCommand {
  source: HookSource;
  /** `webhook-id` or the Stripe event id: the dedup key of this delivery. */
  deliveryId: string;
  /** The sender's event type, echoed in the response and logs. */
  eventType: string;
  /** The business key: one sub-user per sender and customer id, whichever events arrive. */
  customerId: string;
  /** What the event says about one of the customer's subscriptions, checkouts or signup lifecycle. */
  change: HoldingChange;
  /** When the sender says the event happened (ms); orders reordered deliveries. Null when unknown. */
  eventTimeMs: number | null;
  /**
   * PLANS as the route read it (the object's own env may differ): the sub-user is sized to the
   * highest live plan, which may belong to another subscription than this event's. Null when unset.
   */
  plans: Plans | null;
  /** The sender asked for the proxy credentials (generic `customer.created`); Stripe never does. */
  returnCredentials: boolean;
  /** The receiving worker's WEBSHARE_API_VERSION, so the Durable Object speaks the same dialect. */
  dialect?: DialectSetting;
}

/** The response to send, kept verbatim so a replayed delivery gets the original answer. */
export interface HookResponse {
  status: 200 | 422 | 500 | 502 | 503 | 504 | 404 | 429;
  /** The JSON text, so a replay answers with the very same bytes. */
  body: string;
  headers?: Record<string, string>;
}

export type ProvisioningOutcome =
  /** A new sub-user was created at Webshare. */
  | 'created'
  /** A sub-user carrying the customer's label already existed at Webshare and is now recorded. */
  | 'adopted'
  | 'updated'
  | 'deleted'
  /** The customer already was in the asked state. */
  | 'unchanged'
  /** Nothing to do: a stale event, or one for a deleted customer. */
  | 'ignored';

/** The public view of a sub-user; credentials only when the sender asked for them. */
export interface SubUserView {
  id: number;
  label: string;
  proxy_limit: number;
  max_thread_count: number | null;
  proxy_countries: Record<string, number> | null;
  proxy_username?: string;
  proxy_password?: string;
}

export interface ProvisioningResultBody {
  delivery_id: string;
  event: string;
  customer_id: string;
  outcome: ProvisioningOutcome;
  reason?: string;
  plan?: string;
  subuser?: SubUserView;
}

/** A sender's event, read: a command draft, an event type we ignore, or the fields that are wrong. */
export type ParsedEvent =
  | { kind: 'ignored'; deliveryId: string; eventType: string }
  | {
      kind: 'command';
      deliveryId: string;
      eventType: string;
      customerId: string;
      change: HoldingChange;
      eventTimeMs: number | null;
      returnCredentials: boolean;
    }
  | { kind: 'invalid'; issues: FieldIssue[] };

export interface FieldIssue {
  field: string;
  message: string;
}

/** zod issues as `field → message`, paths joined with dots. */
export function fieldIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix = '',
): FieldIssue[] {
  return issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }));
}
