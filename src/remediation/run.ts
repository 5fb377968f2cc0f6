/**
 * Auto-remediation for one tick: plan → execute → record and notices. Called by the poller tick after
 * the sweep step, with the tick's client, so its state and record land in the tick's one KV write.
 */
import type { SubrequestBudget } from '../lib/budget';
import type { Logger } from '../lib/log';
import type { Notification } from '../model/notification';
import type { QuotaSummary, SweepResult } from '../model/snapshot';
import { summariseQuotas } from '../poller/sources';
import type { RemediationConfig } from '../config/remediation';
import { executeRemediation, SKIP_NOTICE_ALLOWANCE, type RemediationClient } from './execute';
import { buildNotices } from './notices';
import { planRemediation } from './plan';
import { NOTIFIED_KEYS_KEPT, rollDay } from './state';
import type {
  InFlightReplacement,
  RemediationEntry,
  RemediationRecord,
  RemediationState,
  ReplacedProxy,
} from '../model/remediation';
import { followReplacements, FOLLOW_COST, FOLLOWS_PER_TICK } from './follow';

/** Pending retries the sweep makes room for; more wait for later ticks rather than stall the sweep. */
export const PENDING_RESERVED_PER_TICK = 5;

/** Entries kept in a snapshot's record (the history keeps a dozen snapshots per hour). */
export const RECORD_ENTRIES_KEPT = 50;

export interface RemediationInput {
  config: RemediationConfig;
  /** The sweep finished by THIS tick, or null. */
  sweep: SweepResult | null;
  quotas: QuotaSummary | null;
  state: RemediationState | undefined;
  client: RemediationClient;
  /** v2 replacements started outside ticks (admin API, chat-ops), to follow like our own. */
  tracked?: InFlightReplacement[];
  budget: SubrequestBudget;
  keepSubrequests: number;
  /** Channels a notice goes to (its cost in subrequests, one attempt each). */
  channels: number;
  nowMs: number;
  log: Logger;
}

export interface RemediationOutput {
  record: RemediationRecord | null;
  state: RemediationState;
  notices: Notification[];
  /** The quotas after this tick's actions (what the snapshot should show). */
  quotas: QuotaSummary | null;
  /** Tracked replacements (from outside ticks) that finished and were announced: untrack them. */
  untrack: number[];
}

/**
 * Subrequests the sweep should leave for pending retries, so that on a large account (whose sweep
 * would otherwise take the whole budget) a deferred or failed replacement still goes out next tick.
 */
export function remediationReserve(
  config: RemediationConfig,
  state: RemediationState | undefined,
  channels: number,
  /** Replacements started outside ticks, waiting to be followed. */
  tracked = 0,
): number {
  const follows = Math.min(FOLLOWS_PER_TICK, (state?.in_flight?.length ?? 0) + tracked);
  const followReserve = follows > 0 ? follows * (FOLLOW_COST + channels) : 0;
  if (!config.enabled || config.dry_run || !state?.pending.length) return followReserve;
  const retries = Math.min(state.pending.length, PENDING_RESERVED_PER_TICK);
  return followReserve + retries * (1 + channels) + SKIP_NOTICE_ALLOWANCE * channels;
}

export async function runRemediation(input: RemediationInput): Promise<RemediationOutput> {
  const { config, nowMs } = input;
  const { follow, state } = await followStage(input, rollDay(input.state, nowMs));
  const untrack = follow.finished.filter((f) => f.origin !== 'remediation').map((f) => f.id);
  if (!config.enabled) {
    if (follow.entries.length === 0)
      return { record: null, state, notices: [], quotas: input.quotas, untrack };
    const { notices } = await buildNotices(follow.entries, {
      mode: 'live',
      day: state.day,
      nowMs,
      replacedToday: state.replaced_today,
      maxPerDay: config.max_replacements_per_day,
      replaceAfterSweeps: config.replace_after_sweeps,
      replacementsLeft: input.quotas?.proxy_replacements_available ?? null,
      notified: state.notified,
    });
    const record = recordOf('live', null, follow.entries, state, config.max_replacements_per_day);
    return { record, state, notices, quotas: input.quotas, untrack };
  }

  const plan = planRemediation({ sweep: input.sweep, quotas: input.quotas, config, state, nowMs });
  const executed = await executeRemediation({
    plan,
    state,
    client: input.client,
    budget: input.budget,
    keepSubrequests: input.keepSubrequests,
    noticeCost: input.channels,
    nowMs,
    log: input.log,
  });
  const result = { ...executed, entries: [...follow.entries, ...executed.entries] };
  const { notices, notified } = await buildNotices(result.entries, {
    mode: plan.mode,
    day: state.day,
    nowMs,
    replacedToday: result.state.replaced_today,
    maxPerDay: config.max_replacements_per_day,
    replaceAfterSweeps: config.replace_after_sweeps,
    replacementsLeft: result.replacementsLeft,
    notified: state.notified,
  });
  const nextState: RemediationState = {
    ...result.state,
    notified: [...state.notified, ...notified].slice(-NOTIFIED_KEYS_KEPT),
  };

  let quotas = input.quotas;
  if (result.refreshInfo) quotas = summariseQuotas(result.refreshInfo);
  else if (quotas && result.replacementsLeft !== null && plan.mode === 'live') {
    const spent = quotas.proxy_replacements_available - result.replacementsLeft;
    quotas = {
      ...quotas,
      proxy_replacements_available: result.replacementsLeft,
      proxy_replacements_used: quotas.proxy_replacements_used + Math.max(0, spent),
    };
  }

  if (result.entries.length > 0) {
    input.log.info('remediation', {
      mode: plan.mode,
      entries: result.entries.map(
        (e) => `${e.action}:${e.target}:${e.outcome}${e.reason ? `:${e.reason}` : ''}`,
      ),
    });
  }
  const record =
    result.entries.length === 0
      ? null
      : recordOf(
          plan.mode,
          input.sweep?.finished_at ?? null,
          result.entries,
          nextState,
          config.max_replacements_per_day,
        );
  return { record, state: nextState, notices, quotas, untrack };
}

function recordOf(
  mode: RemediationRecord['mode'],
  sweepFinishedAt: string | null,
  entries: RemediationEntry[],
  state: RemediationState,
  maxPerDay: number,
): RemediationRecord {
  return {
    mode,
    sweep_finished_at: sweepFinishedAt,
    entries: entries.slice(0, RECORD_ENTRIES_KEPT),
    replaced_today: state.replaced_today,
    max_per_day: maxPerDay,
    pending: state.pending.length,
    omitted: Math.max(0, entries.length - RECORD_ENTRIES_KEPT),
  };
}

/** Follows v2 replacements (ours and tracked ones) and folds what finished into the state. */
async function followStage(input: RemediationInput, rolled: RemediationState) {
  const follow = await followReplacements({
    client: input.client,
    inFlight: mergeInFlight(rolled.in_flight ?? [], input.tracked ?? []),
    budget: input.budget,
    keepSubrequests: input.keepSubrequests + input.channels * (SKIP_NOTICE_ALLOWANCE + 1),
    nowIso: new Date(input.nowMs).toISOString(),
  });
  const state: RemediationState = {
    ...rolled,
    in_flight: follow.stillInFlight.filter((f) => f.origin === 'remediation'),
    recent: withNewAddresses(rolled.recent, follow.replaced),
  };
  return { follow, state };
}

/** Our own in-flight replacements and the tracked ones, each id once. */
function mergeInFlight(own: InFlightReplacement[], tracked: InFlightReplacement[]): InFlightReplacement[] {
  const byId = new Map<number, InFlightReplacement>();
  for (const flight of [...own, ...tracked]) if (!byId.has(flight.id)) byId.set(flight.id, flight);
  return [...byId.values()];
}

/** Fills in the new address of replacements remembered when they started (v2). */
function withNewAddresses(recent: ReplacedProxy[], done: ReplacedProxy[]): ReplacedProxy[] {
  if (done.length === 0) return recent;
  const fresh = new Map(done.map((d) => [d.address, d]));
  const updated = recent.map((r) =>
    r.new_address === null && fresh.has(r.address)
      ? { ...r, new_address: fresh.get(r.address)!.new_address }
      : r,
  );
  const known = new Set(recent.map((r) => r.address));
  return [...done.filter((d) => !known.has(d.address)), ...updated];
}
