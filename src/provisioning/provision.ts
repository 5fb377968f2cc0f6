/**
 * The provisioning rules: given what this worker remembers about a customer and one command, make
 * Webshare match and say what the customer's state is now. Webshare's own sub-user list (by label) is
 * consulted only when an earlier create may have reached Webshare unrecorded (the caller's `creating`
 * marker is still there), so a sub-user created just before a crash is adopted, never duplicated, while
 * a first-time signup costs one POST: listing every sub-user of a reseller account is hundreds of
 * requests, past the Workers per-invocation subrequest limit (50 on the Free plan).
 * Throws WebshareError when Webshare fails; the caller records nothing then.
 */
import type { Plan } from '../config/plans';
import type { CustomerAction, ProvisioningCommand, ProvisioningOutcome } from './command';
import { labelFor, subUsersOf } from './label';
import type { WebshareApi } from '../webshare/api';
import { WebshareNotFoundError } from '../webshare/errors';
import type { ListedSubUser, SubUser, SubUserUpdate } from '../webshare/schemas';

export interface CustomerState {
  customerId: string;
  /** `deleted` is a tombstone: a stale create/update arriving late must not bring the customer back. */
  status: 'active' | 'deleted';
  subUserId: number | null;
  plan: string | null;
  /** Event time of the last applied event (ms), to ignore older ones delivered late. */
  lastEventTimeMs: number | null;
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

type PlannedCommand = ProvisioningCommand & { plan: { name: string; limits: Plan } };

/** Applies one command. `nowMs` stamps the new state. */
export async function provision(
  client: WebshareApi,
  previous: CustomerState | undefined,
  command: ProvisioningCommand,
  nowMs: number,
  guard: CreateGuard,
): Promise<ProvisioningResult> {
  const base: CustomerState = previous ?? {
    customerId: command.customerId,
    status: 'active',
    subUserId: null,
    plan: null,
    lastEventTimeMs: null,
    pending: null,
    updatedAtMs: nowMs,
  };
  if (command.action === 'delete') return remove(client, base, command, nowMs, guard);
  if (!command.plan?.limits) throw new Error('create and update need a known plan');
  return upsert(client, base, command as PlannedCommand, nowMs, guard);
}

async function upsert(
  client: WebshareApi,
  state: CustomerState,
  command: PlannedCommand,
  nowMs: number,
  guard: CreateGuard,
): Promise<ProvisioningResult> {
  if (state.status === 'deleted' && !isLater(command.eventTimeMs, state.lastEventTimeMs)) {
    return {
      state,
      outcome: 'ignored',
      reason: 'the customer was deleted; an event from before the deletion does not bring it back',
      settled: false,
    };
  }
  const stale = state.status === 'active' && isEarlier(command.eventTimeMs, state.lastEventTimeMs);
  const limits = command.plan.limits;
  const next = (subUser: SubUser, plan: string | null): CustomerState => ({
    ...state,
    status: 'active',
    subUserId: subUser.id,
    plan,
    lastEventTimeMs: stale ? state.lastEventTimeMs : maxTime(state.lastEventTimeMs, command.eventTimeMs),
    pending: null,
    updatedAtMs: nowMs,
  });

  if (state.status === 'active' && state.subUserId !== null) {
    const current = await getOrNull(client, state.subUserId);
    if (current) {
      if (stale) {
        // An older event arriving late must not undo a newer plan change.
        return {
          state,
          outcome: 'ignored',
          reason: 'an event older than the last one applied',
          subUser: current,
          settled: false,
        };
      }
      // Not `settled`: this path reads no list, so a marker left by a lost create stays for a later
      // event that does (a delete, or a create after this sub-user disappears).
      if (matchesPlan(current, limits)) {
        return {
          state: next(current, command.plan.name),
          outcome: 'unchanged',
          subUser: current,
          settled: false,
        };
      }
      const updated = await client.updateSubUser(current.id, planPatch(limits));
      return {
        state: next(updated, command.plan.name),
        outcome: 'updated',
        subUser: updated,
        settled: false,
      };
    }
    // Deleted at Webshare behind our back: fall through and make the customer whole again.
  }

  if (guard.inDoubt) {
    // An earlier create may have worked without its answer being recorded: adopt, never duplicate.
    const [existing] = subUsersOf(command.customerId, await client.listAllSubUsers());
    if (existing) {
      // A listed sub-user has no credentials on v2: read it again (with them) rather than hand out nulls.
      const subUser = matchesPlan(existing, limits)
        ? await withCredentials(client, existing)
        : await client.updateSubUser(existing.id, planPatch(limits));
      return { state: next(subUser, command.plan.name), outcome: 'adopted', subUser, settled: true };
    }
  }
  await guard.beforeCreate();
  const created = await client.createSubUser({ label: labelFor(command.customerId), ...planPatch(limits) });
  return { state: next(created, command.plan.name), outcome: 'created', subUser: created, settled: true };
}

async function remove(
  client: WebshareApi,
  state: CustomerState,
  command: ProvisioningCommand,
  nowMs: number,
  guard: CreateGuard,
): Promise<ProvisioningResult> {
  if (state.status === 'active' && isEarlier(command.eventTimeMs, state.lastEventTimeMs)) {
    return { state, outcome: 'ignored', reason: 'an event older than the last one applied', settled: false };
  }
  const tombstone: CustomerState = {
    ...state,
    status: 'deleted',
    subUserId: null,
    lastEventTimeMs: maxTime(state.lastEventTimeMs, command.eventTimeMs),
    pending: null,
    updatedAtMs: nowMs,
  };
  // Without doubt every sub-user this customer has is the recorded one. With it, the label list too:
  // a sub-user created just before a crash is removed as well.
  const listed = guard.inDoubt ? subUsersOf(command.customerId, await client.listAllSubUsers()) : [];
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
  return { state: tombstone, outcome: deleted > 0 ? 'deleted' : 'unchanged', settled: true };
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

/** Unknown times never count as later: a tombstone is only lifted by an event known to be newer. */
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
