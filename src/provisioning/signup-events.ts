/**
 * Events of the generic signup hook, in the Standard Webhooks envelope:
 * `{ "type": "customer.created", "timestamp": "<ISO 8601>", "data": { … } }`.
 */
import * as z from 'zod';
import { fieldIssues, type ParsedEvent } from './command';
import type { HoldingChange } from './holdings';
import { CustomerIdSchema } from './customer-id';

const PlanNameSchema = z.string().trim().min(1).max(100);

export const SignupEnvelopeSchema = z.object({
  type: z.string().min(1),
  /** When the event happened; orders late deliveries. Optional, but without it order is arrival order. */
  timestamp: z.iso.datetime({ offset: true }).optional(),
  data: z.unknown(),
});

export const CustomerCreatedSchema = z.object({
  customer_id: CustomerIdSchema,
  // Accepted for senders that include it, never stored or logged: the label carries the id only.
  email: z.email().optional(),
  plan: PlanNameSchema,
});

export const CustomerUpdatedSchema = z.object({ customer_id: CustomerIdSchema, plan: PlanNameSchema });

export const CustomerDeletedSchema = z.object({ customer_id: CustomerIdSchema });

/** Reads a parsed JSON body; `deliveryId` is the verified `webhook-id`. */
export function parseSignupEvent(deliveryId: string, json: unknown): ParsedEvent {
  const envelope = SignupEnvelopeSchema.safeParse(json);
  if (!envelope.success) return { kind: 'invalid', issues: fieldIssues(envelope.error.issues) };
  const { type, timestamp, data } = envelope.data;
  const eventTimeMs = timestamp === undefined ? null : Date.parse(timestamp);
  const common = { kind: 'command' as const, deliveryId, eventType: type, eventTimeMs };

  if (type === 'customer.created') {
    const parsed = CustomerCreatedSchema.safeParse(data);
    if (!parsed.success) return { kind: 'invalid', issues: fieldIssues(parsed.error.issues, 'data') };
    return {
      ...common,
      customerId: parsed.data.customer_id,
      change: signupChange(parsed.data.customer_id, 'active', parsed.data.plan),
      // The sender provisions its customer from this response, so it carries the credentials.
      returnCredentials: true,
    };
  }
  if (type === 'customer.updated') {
    const parsed = CustomerUpdatedSchema.safeParse(data);
    if (!parsed.success) return { kind: 'invalid', issues: fieldIssues(parsed.error.issues, 'data') };
    return {
      ...common,
      customerId: parsed.data.customer_id,
      change: signupChange(parsed.data.customer_id, 'active', parsed.data.plan),
      returnCredentials: false,
    };
  }
  if (type === 'customer.deleted') {
    const parsed = CustomerDeletedSchema.safeParse(data);
    if (!parsed.success) return { kind: 'invalid', issues: fieldIssues(parsed.error.issues, 'data') };
    return {
      ...common,
      customerId: parsed.data.customer_id,
      change: signupChange(parsed.data.customer_id, 'deleted', null),
      returnCredentials: false,
    };
  }
  return { kind: 'ignored', deliveryId, eventType: type };
}

/** A signup customer has one lifecycle: created/updated make it `active`, deleted ends it. */
function signupChange(customerId: string, status: 'active' | 'deleted', plan: string | null): HoldingChange {
  return { kind: 'signup', id: customerId, status, plan };
}
