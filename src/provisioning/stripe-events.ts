/**
 * The Stripe events that provision: a checkout or a new subscription creates the customer's sub-user,
 * a subscription change resizes it, the end of the subscription removes it. The plan is the
 * `metadata.plan` of the session or subscription, else the first price `lookup_key`.
 */
import * as z from 'zod';
import { fieldIssues, type CustomerAction, type ParsedEvent } from './command';
import { CustomerIdSchema } from './label';

const MS_PER_SECOND = 1000;

export const StripeEventSchema = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1),
  /** Unix seconds: when Stripe created the event, the same for every retry of it. */
  created: z.number().int().nonnegative(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** `customer` is an id, or the expanded object when the endpoint asks for expansions. */
const CustomerRefSchema = z.union([
  CustomerIdSchema,
  z.object({ id: CustomerIdSchema }).transform((c) => c.id),
]);
const MetadataSchema = z.record(z.string(), z.string()).nullish();
const PricedItemsSchema = z
  .object({ data: z.array(z.object({ price: z.object({ lookup_key: z.string().nullish() }).nullish() })) })
  .nullish();

export const CheckoutSessionSchema = z.object({
  customer: CustomerRefSchema.nullish(),
  metadata: MetadataSchema,
  /** Only present when the endpoint expands line_items; metadata.plan is the usual way. */
  line_items: PricedItemsSchema,
});

export const SubscriptionSchema = z.object({
  customer: CustomerRefSchema,
  metadata: MetadataSchema,
  items: PricedItemsSchema,
});

const ACTIONS: Record<string, { action: CustomerAction; object: 'session' | 'subscription' }> = {
  'checkout.session.completed': { action: 'create', object: 'session' },
  'customer.subscription.created': { action: 'create', object: 'subscription' },
  'customer.subscription.updated': { action: 'update', object: 'subscription' },
  'customer.subscription.deleted': { action: 'delete', object: 'subscription' },
};

export const STRIPE_EVENT_TYPES = Object.keys(ACTIONS);

/** Reads a verified, parsed Stripe event. */
export function parseStripeEvent(json: unknown): ParsedEvent {
  const event = StripeEventSchema.safeParse(json);
  if (!event.success) return { kind: 'invalid', issues: fieldIssues(event.error.issues) };
  const { id, type, created, data } = event.data;
  const mapping = ACTIONS[type];
  if (!mapping) return { kind: 'ignored', deliveryId: id, eventType: type };

  const object =
    mapping.object === 'session'
      ? CheckoutSessionSchema.transform(({ line_items, ...rest }) => ({
          ...rest,
          items: line_items,
        })).safeParse(data.object)
      : SubscriptionSchema.safeParse(data.object);
  if (!object.success) return { kind: 'invalid', issues: fieldIssues(object.error.issues, 'data.object') };
  const customerId = object.data.customer;
  if (!customerId) {
    return {
      kind: 'invalid',
      issues: [
        {
          field: 'data.object.customer',
          message:
            'the session has no customer; use a subscription-mode checkout or customer_creation=always',
        },
      ],
    };
  }
  const items = object.data.items;
  const planName =
    object.data.metadata?.plan?.trim() ||
    items?.data.map((item) => item.price?.lookup_key?.trim()).find((key) => !!key) ||
    undefined;
  if (mapping.action !== 'delete' && !planName) {
    return {
      kind: 'invalid',
      issues: [
        { field: 'data.object.metadata.plan', message: 'no plan: set metadata.plan or a price lookup_key' },
      ],
    };
  }
  return {
    kind: 'command',
    deliveryId: id,
    eventType: type,
    customerId,
    action: mapping.action,
    eventTimeMs: created * MS_PER_SECOND,
    ...(mapping.action === 'delete' ? {} : { planName }),
    // Stripe keeps response bodies in its dashboard: proxy credentials never go there.
    returnCredentials: false,
  };
}
