/**
 * Makes Webshare match what a customer should have (src/provisioning/holdings.ts `Desired`): a
 * sub-user sized to the highest live plan, or none. Webshare's own sub-user list (by label) is
 * consulted only when an earlier create may have reached Webshare unrecorded (the caller's `creating`
 * marker is still there), so a sub-user created just before a crash is adopted, never duplicated, while
 * a first-time signup costs one POST: listing every sub-user of a reseller account is hundreds of
 * requests, past the Workers per-invocation subrequest limit (50 on the Free plan).
 * Throws WebshareError when Webshare fails; the caller records nothing then.
 */
import type { Plan } from '../config/plans';
import type { CustomerAction, HookSource, ProvisioningOutcome } from './command';
import type { Desired, Holdings, PlanChoice } from './holdings';
import { labelFor, legacyLabelFor, subUsersLabelled } from './label';
import type { WebshareApi } from '../webshare/port';
import { WebshareNotFoundError } from '../webshare/errors';
import type { ListedSubUser, SubUser, SubUserUpdate } from '../webshare/types';

export interface CustomerState {
  customerId: string;
  source: HookSource;
  /** The customer's subscriptions, checkouts (Stripe) or signup lifecycle, each with its status. */
  holdings: Holdings;
  subUserId: number | null;
  /** The plan the sub-user was last sized to. */
  plan: string | null;
  /** Stripe events older than this are stale: the last event a carried-over legacy record applied. */
  floorTimeMs: number | null;
  /** Carried over from the shared key space: its sub-user may carry the legacy `cust:` label. */
  legacyLabel: boolean;
  /** Set before Webshare writes, cleared after: a leftover means a crash or failure mid-way. */
  pending: { action: CustomerAction; deliveryId: string; sinceMs: number } | null;
  updatedAtMs: number;
}

export interface ProvisioningResult {
  state: CustomerState;
  outcome: ProvisioningOutcome;
  reason?: string;
  subUser?: SubUser;
  /**
   * True when every sub-user of this customer at Webshare is now known: the label list was read, or
   * this attempt's own create answered. Only then may the caller drop its `creating` marker.
   */
  settled: boolean;
}

/** How `provision` learns about, and records, creates whose answer may have been lost. */
export interface CreateGuard {
  /** True when an earlier create may have reached Webshare without being recorded here. */
  readonly inDoubt: boolean;
  /** Durably records "about to create" before the create call is sent. */
  beforeCreate(): Promise<void>;
}

export function freshState(source: HookSource, customerId: string, nowMs: number): CustomerState {
  return {
    customerId,
    source,
    holdings: {},
    subUserId: null,
    plan: null,
    floorTimeMs: null,
    legacyLabel: false,
    pending: null,
    updatedAtMs: nowMs,
  };
}

/** The labels this customer's sub-users may carry at Webshare. */
export function labelsOf(state: CustomerState): string[] {
  const own = labelFor(state.source, state.customerId);
  return state.legacyLabel ? [own, legacyLabelFor(state.customerId)] : [own];
}

/** Makes Webshare match `desired`. `state` already carries the applied holdings; `nowMs` stamps it. */
export async function provision(
  client: WebshareApi,
  state: CustomerState,
  desired: Desired,
  nowMs: number,
  guard: CreateGuard,
): Promise<ProvisioningResult> {
  const stamped = { ...state, pending: null, updatedAtMs: nowMs };
  if (!desired.live) return remove(client, stamped, guard);
  return ensure(client, stamped, desired.plan, guard);
}

/** The answer to an event that changed nothing: the sub-user as it is, when the sender wants it. */
export async function ignored(
  client: WebshareApi,
  state: CustomerState,
  reason: string,
  withSubUser: boolean,
): Promise<ProvisioningResult> {
  const subUser = withSubUser && state.subUserId !== null ? await getOrNull(client, state.subUserId) : null;
  return { state, outcome: 'ignored', reason, ...(subUser ? { subUser } : {}), settled: false };
}

async function ensure(
  client: WebshareApi,
  state: CustomerState,
  plan: PlanChoice | null,
  guard: CreateGuard,
): Promise<ProvisioningResult> {
  const next = (subUser: SubUser): CustomerState => ({
    ...state,
    subUserId: subUser.id,
    plan: plan?.name ?? state.plan,
  });
  if (state.subUserId !== null) {
    const current = await getOrNull(client, state.subUserId);
    // Not `settled` below: this path reads no list, so a marker left by a lost create stays for a
    // later event that does (a removal, or a create after this sub-user disappears).
    if (current && (!plan || matchesPlan(current, plan.limits))) {
      return { state: next(current), outcome: 'unchanged', subUser: current, settled: false };
    }
    if (current && plan) {
      const updated = await client.updateSubUser(current.id, planPatch(plan.limits));
      return { state: next(updated), outcome: 'updated', subUser: updated, settled: false };
    }
    // Deleted at Webshare behind our back: fall through and make the customer whole again.
  }
  if (!plan) {
    return {
      state: { ...state, subUserId: null },
      outcome: 'unchanged',
      reason: 'PLANS knows the plan of no live subscription: nothing to create',
      settled: false,
    };
  }
  if (guard.inDoubt) {
    // An earlier create may have worked without its answer being recorded: adopt, never duplicate.
    const [existing] = subUsersLabelled(labelsOf(state), await client.listAllSubUsers());
    if (existing) {
      // A listed sub-user has no credentials on v2: read it again (with them) rather than hand out nulls.
      const subUser = matchesPlan(existing, plan.limits)
        ? await withCredentials(client, existing)
        : await client.updateSubUser(existing.id, planPatch(plan.limits));
      return { state: next(subUser), outcome: 'adopted', subUser, settled: true };
    }
  }
  await guard.beforeCreate();
  const created = await client.createSubUser({
    label: labelFor(state.source, state.customerId),
    ...planPatch(plan.limits),
  });
  return { state: next(created), outcome: 'created', subUser: created, settled: true };
}

async function remove(
  client: WebshareApi,
  state: CustomerState,
  guard: CreateGuard,
): Promise<ProvisioningResult> {
  // Without doubt every sub-user this customer has is the recorded one. With it, the label list too:
  // a sub-user created just before a crash is removed as well.
  const listed = guard.inDoubt ? subUsersLabelled(labelsOf(state), await client.listAllSubUsers()) : [];
  const ids = new Set(listed.map((s) => s.id));
  if (state.subUserId !== null) ids.add(state.subUserId);
  let deleted = 0;
  for (const id of ids) {
    try {
      await client.deleteSubUser(id);
      deleted++;
    } catch (error) {
      // Already gone is the state we want.
      if (!(error instanceof WebshareNotFoundError)) throw error;
    }
  }
  const after: CustomerState = { ...state, subUserId: null, plan: null };
  if (deleted > 0) return { state: after, outcome: 'deleted', settled: true };
  return { state: after, outcome: 'unchanged', reason: 'nothing grants access: no sub-user', settled: true };
}

async function withCredentials(client: WebshareApi, listed: ListedSubUser): Promise<SubUser> {
  const { proxy_username, proxy_password } = listed;
  if (proxy_username !== null && proxy_password !== null)
    return { ...listed, proxy_username, proxy_password };
  return client.getSubUser(listed.id);
}

async function getOrNull(client: WebshareApi, id: number): Promise<SubUser | null> {
  try {
    return await client.getSubUser(id);
  } catch (error) {
    if (error instanceof WebshareNotFoundError) return null;
    throw error;
  }
}

/** The fields a plan sets. Fields the plan leaves out are left as they are at Webshare. */
export function planPatch(plan: Plan): SubUserUpdate & { proxy_limit: number } {
  const patch: SubUserUpdate & { proxy_limit: number } = { proxy_limit: plan.proxy_limit };
  if (plan.max_thread_count !== undefined) patch.max_thread_count = plan.max_thread_count;
  if (plan.proxy_countries !== undefined) patch.proxy_countries = plan.proxy_countries;
  return patch;
}

export function matchesPlan(subUser: ListedSubUser, plan: Plan): boolean {
  if (subUser.proxy_limit !== plan.proxy_limit) return false;
  if (plan.max_thread_count !== undefined && subUser.max_thread_count !== plan.max_thread_count) return false;
  if (plan.proxy_countries !== undefined && !sameCounts(subUser.proxy_countries, plan.proxy_countries)) {
    return false;
  }
  return true;
}

function sameCounts(a: Record<string, number> | null, b: Record<string, number> | null): boolean {
  const left = Object.entries(a ?? {}).sort(([x], [y]) => x.localeCompare(y));
  const right = Object.entries(b ?? {}).sort(([x], [y]) => x.localeCompare(y));
  return JSON.stringify(left) === JSON.stringify(right);
}
