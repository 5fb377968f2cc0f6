/**
 * Where a customer lives: the sub-user label `<source>:<customer_id>` (`signup:` or `stripe:`) and the
 * CustomerProvisioner object `<source> <customer_id>`. Each sender has its own space, so a generic
 * `customer.deleted` naming a Stripe customer's id never reaches that Stripe customer. Webshare's own
 * sub-user list is the source of truth after a crash, and the label is how a sub-user is traced back.
 *
 * Before the spaces were split, both senders shared the label `cust:<id>` and the object named `<id>`
 * (LEGACY_LABEL_PREFIX): src/provisioning/legacy.ts carries such a customer over on first use.
 */
import type { SubUser } from '../webshare/types';
import type { HookSource } from './command';

/** The shared label prefix of customers provisioned before each sender had its own. */
export const LEGACY_LABEL_PREFIX = 'cust:';

export function labelFor(source: HookSource, customerId: string): string {
  return `${source}:${customerId}`;
}

export function legacyLabelFor(customerId: string): string {
  return `${LEGACY_LABEL_PREFIX}${customerId}`;
}

/**
 * The customer's CustomerProvisioner object name. The space cannot appear in a customer id, so no new
 * name can equal a legacy one (the bare id) or another sender's.
 */
export function provisionerName(source: HookSource, customerId: string): string {
  return `${source} ${customerId}`;
}

/** The sub-users in a list that carry one of these labels, oldest (lowest id) first. */
export function subUsersLabelled<T extends Pick<SubUser, 'id' | 'label'>>(
  labels: readonly string[],
  subUsers: readonly T[],
): T[] {
  return subUsers.filter((s) => labels.includes(s.label)).sort((a, b) => a.id - b.id);
}
