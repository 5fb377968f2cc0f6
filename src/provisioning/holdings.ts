/**
 * What entitles a customer to a sub-user, one "holding" per Stripe subscription, per Stripe checkout
 * session, or the one lifecycle of a generic signup customer; and the pure rules over them:
 *
 * - A subscription holds access while `active`, `trialing` or `past_due` (Stripe's own retry window).
 *   `canceled` and `incomplete_expired` are final: Stripe never revives them, so no later event does.
 * - A checkout holds access once `paid` (or `no_payment_required`). One that started a subscription
 *   stands in for it only until that subscription's own status is known beyond `incomplete`; from
 *   then on the subscription decides (so cancelling it ends the access the checkout began).
 *   `async_payment_failed` makes the checkout `failed`, which is final.
 * - A signup customer holds access while `active`; once `deleted`, only an event known to be newer
 *   brings it back.
 * - Stripe does not guarantee order: a change older than the holding's last one (by the event's
 *   `created`) is ignored; within the same second, a status earlier in the lifecycle is ignored.
 *
 * The sub-user exists while any holding holds access; its plan is the highest of theirs (see
 * `comparePlans`).
 */
import type { Plan, Plans } from '../config/plans';

export type HoldingKind = 'signup' | 'subscription' | 'checkout' | 'legacy';

/** What one event says about one holding. */
export interface HoldingChange {
  kind: HoldingKind;
  /** The subscription or checkout session id; the customer id for signup. */
  id: string;
  /** As the sender names it: a Stripe subscription status, a checkout payment status, active/deleted. */
  status: string;
  /** The plan name the event carries; null when it carries none (a cancellation, an unpaid checkout). */
  plan: string | null;
  /** Checkout only: the subscription the checkout started (subscription mode). */
  subscriptionId?: string | null;
}

export interface Holding extends HoldingChange {
  /** When the last applied event happened (ms); null when the sender did not say. */
  eventTimeMs: number | null;
}

export type Holdings = Record<string, Holding>;

export interface PlanChoice {
  name: string;
  limits: Plan;
}

const SUBSCRIPTION_LIVE = new Set(['active', 'trialing', 'past_due']);
const SUBSCRIPTION_FINAL = new Set(['canceled', 'incomplete_expired']);
/** Lifecycle order, for two events of one subscription stamped in the same second. */
const SUBSCRIPTION_STAGE: Record<string, number> = {
  incomplete: 0,
  trialing: 1,
  active: 2,
  past_due: 3,
  paused: 3,
  unpaid: 4,
  canceled: 5,
  incomplete_expired: 5,
};
const CHECKOUT_PAID = new Set(['paid', 'no_payment_required']);
const CHECKOUT_STAGE: Record<string, number> = { unpaid: 0, paid: 1, no_payment_required: 1, failed: 2 };

export function holdingKey(change: Pick<HoldingChange, 'kind' | 'id'>): string {
  return `${change.kind}:${change.id}`;
}

/** True when this status, on its own, grants access (a checkout may still defer to its subscription). */
export function grantsAccess(change: Pick<HoldingChange, 'kind' | 'status'>): boolean {
  if (change.kind === 'subscription') return SUBSCRIPTION_LIVE.has(change.status);
  if (change.kind === 'checkout') return CHECKOUT_PAID.has(change.status);
  return change.status === 'active';
}

function isFinal(holding: Pick<HoldingChange, 'kind' | 'status'>): boolean {
  if (holding.kind === 'subscription') return SUBSCRIPTION_FINAL.has(holding.status);
  if (holding.kind === 'checkout') return holding.status === 'failed';
  return false;
}

/** Unknown statuses come first: they never win a tie, and never grant access. */
function stage(holding: Pick<HoldingChange, 'kind' | 'status'>): number {
  const table = holding.kind === 'subscription' ? SUBSCRIPTION_STAGE : CHECKOUT_STAGE;
  return table[holding.status] ?? -1;
}

export type ApplyResult = { applied: true; holdings: Holdings } | { applied: false; reason: string };

/**
 * Applies one change to the holdings, or says why it is stale. `floorTimeMs`: Stripe events older
 * than this are stale (the last event a record from before subscriptions were tracked applied).
 */
export function applyChange(
  holdings: Holdings,
  change: HoldingChange,
  eventTimeMs: number | null,
  floorTimeMs: number | null = null,
): ApplyResult {
  const key = holdingKey(change);
  const current = holdings[key];
  const stale = current ? staleness(current, change, eventTimeMs) : null;
  if (stale) return { applied: false, reason: stale };
  if (change.kind !== 'signup' && isEarlier(eventTimeMs, floorTimeMs)) {
    return { applied: false, reason: 'an event older than the last one applied' };
  }
  const next: Holdings = { ...holdings };
  // A record carried over from before subscriptions were tracked stood for all of them: the first
  // Stripe event about a subscription or checkout replaces it.
  if (change.kind === 'subscription' || change.kind === 'checkout') {
    for (const name of Object.keys(next)) if (next[name]?.kind === 'legacy') delete next[name];
  }
  next[key] = { ...change, eventTimeMs: maxTime(current?.eventTimeMs ?? null, eventTimeMs) };
  return { applied: true, holdings: next };
}

function staleness(current: Holding, change: HoldingChange, eventTimeMs: number | null): string | null {
  if (change.kind === 'signup' || change.kind === 'legacy') {
    // A deleted customer comes back only with an event known to be newer than its deletion.
    if (!grantsAccess(current) && grantsAccess(change) && !isLater(eventTimeMs, current.eventTimeMs)) {
      return 'the customer was deleted; an event from before the deletion does not bring it back';
    }
    if (grantsAccess(current) && isEarlier(eventTimeMs, current.eventTimeMs)) {
      return 'an event older than the last one applied';
    }
    return null;
  }
  if (isFinal(current) && !isFinal(change)) {
    return `the ${change.kind} already ended (${current.status}); Stripe never revives it`;
  }
  if (isEarlier(eventTimeMs, current.eventTimeMs)) return 'an event older than the last one applied';
  if (eventTimeMs !== null && eventTimeMs === current.eventTimeMs && stage(change) < stage(current)) {
    return `an event from the same second as the last one applied, earlier in the ${change.kind} lifecycle`;
  }
  return null;
}

/** The holdings that grant access now. */
export function liveHoldings(holdings: Holdings): Holding[] {
  const all = Object.values(holdings);
  const stripeTracked = all.some((h) => h.kind === 'subscription' || h.kind === 'checkout');
  return all.filter((holding) => {
    if (!grantsAccess(holding)) return false;
    if (holding.kind === 'legacy') return !stripeTracked;
    if (holding.kind !== 'checkout' || !holding.subscriptionId) return true;
    // A paid checkout speaks for its subscription until the subscription speaks for itself.
    const subscription = holdings[holdingKey({ kind: 'subscription', id: holding.subscriptionId })];
    return subscription === undefined || subscription.status === 'incomplete';
  });
}

/**
 * What the customer should have: nothing, or a sub-user sized to the highest plan among the live
 * holdings that PLANS knows (`plan` null when it knows none of them: the sub-user is left as it is).
 */
export type Desired = { live: false } | { live: true; plan: PlanChoice | null };

export function desiredOf(holdings: Holdings, plans: Plans | null): Desired {
  const live = liveHoldings(holdings);
  if (live.length === 0) return { live: false };
  const known = live.flatMap((holding): PlanChoice[] => {
    const limits =
      holding.plan && plans && Object.hasOwn(plans, holding.plan) ? plans[holding.plan] : undefined;
    return limits && holding.plan ? [{ name: holding.plan, limits }] : [];
  });
  const highest = known.reduce<PlanChoice | null>(
    (best, plan) => (best === null || comparePlans(plan, best) > 0 ? plan : best),
    null,
  );
  return { live: true, plan: highest };
}

/**
 * Plan order: by `proxy_limit` (GB of bandwidth; 0 means unlimited and counts as the highest), then,
 * for equal limits, by name in code-unit order, the later name counting as higher, so the choice never
 * depends on the order events arrived in. Positive when `a` is higher than `b`.
 */
export function comparePlans(a: PlanChoice, b: PlanChoice): number {
  const size = (plan: PlanChoice) => (plan.limits.proxy_limit === 0 ? Infinity : plan.limits.proxy_limit);
  if (size(a) !== size(b)) return size(a) > size(b) ? 1 : -1;
  if (a.name === b.name) return 0;
  return a.name > b.name ? 1 : -1;
}

/** Unknown times never count as later: a deletion is only lifted by an event known to be newer. */
function isLater(time: number | null, than: number | null): boolean {
  return time !== null && than !== null && time > than;
}

/** Unknown times never count as earlier: without times, events apply in arrival order. */
function isEarlier(time: number | null, than: number | null): boolean {
  return time !== null && than !== null && time < than;
}

function maxTime(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
