/**
 * The Stripe events that provision, each read as a change to one of the customer's holdings
 * (src/provisioning/holdings.ts):
 *
 * - `checkout.session.completed`: the session's `payment_status` (`paid`, `unpaid` for async payment
 *   methods, `no_payment_required` for trials and free plans);
 * - `checkout.session.async_payment_succeeded` → `paid`; `checkout.session.async_payment_failed` →
 *   `failed` (the checkout no longer holds access);
 * - `customer.subscription.created|updated|paused|resumed`: the subscription's own `status`;
 * - `customer.subscription.deleted` → `canceled`.
 *
 * The plan is the `metadata.plan` of the session or subscription, else the first price `lookup_key`;
 * a change that grants access must name one, others may not.
 */
import * as z from 'zod';
import { fieldIssues, type FieldIssue, type ParsedEvent } from './command';
import type { HoldingChange } from './holdings';
import { grantsAccess } from './holdings';
import { CustomerIdSchema } from './customer-id';

const MS_PER_SECOND = 1000;

export const StripeEventSchema = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1),
  /** Unix seconds: when Stripe created the event, the same for every retry of it. */
  created: z.number().int().nonnegative(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** A Stripe object id (subscription, session): a storage key, so bounded and printable. */
const StripeIdSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'a Stripe id is printable ASCII without spaces');
/** `customer` and `subscription` are ids, or the expanded objects when the endpoint asks for expansions. */
const CustomerRefSchema = z.union([
  CustomerIdSchema,
  z.object({ id: CustomerIdSchema }).transform((c) => c.id),
]);
const SubscriptionRefSchema = z.union([
  StripeIdSchema,
  z.object({ id: StripeIdSchema }).transform((s) => s.id),
]);
const MetadataSchema = z.record(z.string(), z.string()).nullish();
const PricedItemsSchema = z
  .object({ data: z.array(z.object({ price: z.object({ lookup_key: z.string().nullish() }).nullish() })) })
  .nullish();

export const CheckoutSessionSchema = z.object({
  id: StripeIdSchema,
  customer: CustomerRefSchema.nullish(),
  payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
  /** The subscription a subscription-mode checkout started. */
  subscription: SubscriptionRefSchema.nullish(),
  metadata: MetadataSchema,
  /** Only present when the endpoint expands line_items; metadata.plan is the usual way. */
  line_items: PricedItemsSchema,
});

export const SubscriptionSchema = z.object({
  id: StripeIdSchema,
  customer: CustomerRefSchema,
  /** Any status Stripe adds later is accepted and grants no access until this code knows it. */
  status: z.string().min(1).max(64),
  metadata: MetadataSchema,
  items: PricedItemsSchema,
});

type CheckoutStatus = (session: z.output<typeof CheckoutSessionSchema>) => string;
type SubscriptionStatus = (subscription: z.output<typeof SubscriptionSchema>) => string;

const CHECKOUT_EVENTS: Record<string, CheckoutStatus> = {
  'checkout.session.completed': (session) => session.payment_status,
  'checkout.session.async_payment_succeeded': () => 'paid',
  'checkout.session.async_payment_failed': () => 'failed',
};

const SUBSCRIPTION_EVENTS: Record<string, SubscriptionStatus> = {
  'customer.subscription.created': (subscription) => subscription.status,
  'customer.subscription.updated': (subscription) => subscription.status,
  'customer.subscription.paused': (subscription) => subscription.status,
  'customer.subscription.resumed': (subscription) => subscription.status,
  // The subscription has ended, whatever status the object was captured with.
  'customer.subscription.deleted': (subscription) =>
    subscription.status === 'incomplete_expired' ? subscription.status : 'canceled',
};

interface ReadObject {
  customerId: string | null | undefined;
  change: HoldingChange;
}

/** Reads a verified, parsed Stripe event. */
export function parseStripeEvent(json: unknown): ParsedEvent {
  const event = StripeEventSchema.safeParse(json);
  if (!event.success) return { kind: 'invalid', issues: fieldIssues(event.error.issues) };
  const { id, type, created, data } = event.data;
  const read = readObject(type, data.object);
  if (read === null) return { kind: 'ignored', deliveryId: id, eventType: type };
  if ('issues' in read) return { kind: 'invalid', issues: read.issues };
  const { customerId, change } = read;
  if (!customerId) {
    return invalid(
      'data.object.customer',
      'the session has no customer; use a subscription-mode checkout or customer_creation=always',
    );
  }
  if (grantsAccess(change) && !change.plan) {
    return invalid('data.object.metadata.plan', 'no plan: set metadata.plan or a price lookup_key');
  }
  return {
    kind: 'command',
    deliveryId: id,
    eventType: type,
    customerId,
    change,
    eventTimeMs: created * MS_PER_SECOND,
    // Stripe keeps response bodies in its dashboard: proxy credentials never go there.
    returnCredentials: false,
  };
}

/** The event's object as a holding change; null for an event type that does not provision. */
function readObject(
  type: string,
  object: Record<string, unknown>,
): ReadObject | { issues: FieldIssue[] } | null {
  const checkoutStatus = CHECKOUT_EVENTS[type];
  if (checkoutStatus) {
    const session = CheckoutSessionSchema.safeParse(object);
    if (!session.success) return { issues: fieldIssues(session.error.issues, 'data.object') };
    const { data } = session;
    return {
      customerId: data.customer,
      change: {
        kind: 'checkout',
        id: data.id,
        status: checkoutStatus(data),
        plan: planOf(data.metadata, data.line_items),
        subscriptionId: data.subscription ?? null,
      },
    };
  }
  const subscriptionStatus = SUBSCRIPTION_EVENTS[type];
  if (!subscriptionStatus) return null;
  const subscription = SubscriptionSchema.safeParse(object);
  if (!subscription.success) return { issues: fieldIssues(subscription.error.issues, 'data.object') };
  const { data } = subscription;
  return {
    customerId: data.customer,
    change: {
      kind: 'subscription',
      id: data.id,
      status: subscriptionStatus(data),
      plan: planOf(data.metadata, data.items),
    },
  };
}

function planOf(
  metadata: z.output<typeof MetadataSchema>,
  items: z.output<typeof PricedItemsSchema>,
): string | null {
  return (
    metadata?.plan?.trim() ||
    items?.data.map((item) => item.price?.lookup_key?.trim()).find((key) => !!key) ||
    null
  );
}

function invalid(field: string, message: string): ParsedEvent {
  return { kind: 'invalid', issues: [{ field, message }] };
}
