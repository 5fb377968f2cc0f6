/**
 * The sub-user label that carries the customer id: `cust:<customer_id>`. Webshare's own sub-user list
 * is the source of truth after a crash, and the label is how a sub-user is traced back to its customer.
 */
import * as z from 'zod';
import type { SubUser } from '../webshare/schemas';

const LABEL_PREFIX = 'cust:';

/**
 * A customer id: printable ASCII without spaces, so it survives a label, a log line and a Durable
 * Object name unchanged. 100 characters leaves room for the prefix in Webshare's label.
 */
export const CustomerIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\x21-\x7e]+$/, 'a customer id is printable ASCII without spaces');

export function labelFor(customerId: string): string {
  return `${LABEL_PREFIX}${customerId}`;
}

/** The customer id a label carries, or null for a sub-user this worker did not create. */
export function customerIdFromLabel(label: string): string | null {
  if (!label.startsWith(LABEL_PREFIX)) return null;
  const id = label.slice(LABEL_PREFIX.length);
  return CustomerIdSchema.safeParse(id).success ? id : null;
}

/** The customer's sub-users in a list, oldest (lowest id) first. */
export function subUsersOf(customerId: string, subUsers: readonly SubUser[]): SubUser[] {
  return subUsers.filter((s) => customerIdFromLabel(s.label) === customerId).sort((a, b) => a.id - b.id);
}
