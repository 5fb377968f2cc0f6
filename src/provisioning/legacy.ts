/**
 * Customers provisioned before each sender had its own key space. Both senders then shared one
 * CustomerProvisioner object per customer id (named by the bare id) and the sub-user label
 * `cust:<id>`, with one customer-level state instead of holdings. The first event for a customer in
 * the new space asks that legacy object to hand its state over, once:
 *
 * - to the sender its delivery records name (they are kept 7 days), so a generic event naming a
 *   Stripe customer's id does not take that customer;
 * - when no record is left to say, to whichever sender asks first (and only to it).
 *
 * A signup customer's state becomes its signup holding. A Stripe customer's becomes a `legacy`
 * holding standing for all its subscriptions until the first event about a subscription or checkout,
 * and its last event time becomes the floor older Stripe events cannot cross. The customer keeps its
 * `cust:` sub-user, which the label look-ups then also match.
 */
import { PROVISIONER_KEY } from '../storage/keys';
import type { CustomerAction, HookSource } from './command';
import type { Holding } from './holdings';
import type { CustomerState } from './provision';

/** The customer-level state written before holdings existed. */
export interface LegacyCustomerState {
  customerId: string;
  /** `deleted` was a tombstone: a stale create/update arriving late must not bring the customer back. */
  status: 'active' | 'deleted';
  subUserId: number | null;
  plan: string | null;
  lastEventTimeMs: number | null;
  pending: { action: CustomerAction; deliveryId: string; sinceMs: number } | null;
  updatedAtMs: number;
}

/** What a legacy object hands over: its state and any creating marker (an unsettled create). */
export interface LegacyHandOver {
  state: LegacyCustomerState;
  creating: { deliveryId: string; sinceMs: number } | null;
}

/** True for a state in the customer-level shape of before (it has no holdings). */
export function isLegacyState(state: object): state is LegacyCustomerState {
  return !('holdings' in state) && 'status' in state;
}

/** Enough delivery records to tell which sender a legacy object served. */
const SOURCE_SCAN_LIMIT = 1000;

/**
 * Run inside the legacy object, on its own storage: its state for `source`, once, or null when it has
 * none, served the other sender, or was handed to the other sender already. Handed to the same sender
 * again if asked again (its new object may have failed to store it), never to both.
 */
export async function handOverLegacyState(
  storage: DurableObjectStorage,
  source: HookSource,
): Promise<LegacyHandOver | null> {
  const state = await storage.get<object>(PROVISIONER_KEY.customer);
  if (!state || !isLegacyState(state)) return null;
  const taker = await storage.get<HookSource>(PROVISIONER_KEY.handedOver);
  if (taker !== undefined && taker !== source) return null;
  if (taker === undefined) {
    const records = await storage.list({ prefix: PROVISIONER_KEY.delivery, limit: SOURCE_SCAN_LIMIT });
    // Delivery keys are `delivery:<source>:<delivery id>`.
    const sources = new Set([...records.keys()].map((key) => key.split(':')[1]));
    if (sources.size > 0 && !sources.has(source)) return null;
    await storage.put(PROVISIONER_KEY.handedOver, source);
  }
  const creating = (await storage.get<LegacyHandOver['creating']>(PROVISIONER_KEY.creating)) ?? null;
  return { state, creating };
}

export function fromLegacy(source: HookSource, legacy: LegacyCustomerState): CustomerState {
  const holding: Holding = {
    kind: source === 'signup' ? 'signup' : 'legacy',
    id: legacy.customerId,
    status: legacy.status,
    plan: legacy.plan,
    eventTimeMs: legacy.lastEventTimeMs,
  };
  return {
    customerId: legacy.customerId,
    source,
    holdings: { [`${holding.kind}:${holding.id}`]: holding },
    subUserId: legacy.subUserId,
    plan: legacy.plan,
    floorTimeMs: source === 'stripe' ? legacy.lastEventTimeMs : null,
    legacyLabel: true,
    pending: legacy.pending,
    updatedAtMs: legacy.updatedAtMs,
  };
}
