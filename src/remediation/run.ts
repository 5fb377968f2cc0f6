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
import type { RemediationRecord, RemediationState } from '../model/remediation';

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
}

/**
 * Subrequests the sweep should leave for pending retries, so that on a large account (whose sweep
 * would otherwise take the whole budget) a deferred or failed replacement still goes out next tick.
 */
export function remediationReserve(
  config: RemediationConfig,
  state: RemediationState | undefined,
  channels: number,
): number {
  if (!config.enabled || config.dry_run || !state?.pending.length) return 0;
  const retries = Math.min(state.pending.length, PENDING_RESERVED_PER_TICK);
  return retries * (1 + channels) + SKIP_NOTICE_ALLOWANCE * channels;
}

export async function runRemediation(input: RemediationInput): Promise<RemediationOutput> {
  const { config, nowMs } = input;
  const state = rollDay(input.state, nowMs);
  if (!config.enabled) return { record: null, state, notices: [], quotas: input.quotas };

  const plan = planRemediation({ sweep: input.sweep, quotas: input.quotas, config, state, nowMs });
  const result = await executeRemediation({
    plan,
    state,
    client: input.client,
    budget: input.budget,
    keepSubrequests: input.keepSubrequests,
    noticeCost: input.channels,
    nowMs,
    log: input.log,
  });
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
  const record: RemediationRecord | null =
    result.entries.length === 0
      ? null
      : {
          mode: plan.mode,
          sweep_finished_at: input.sweep?.finished_at ?? null,
          entries: result.entries.slice(0, RECORD_ENTRIES_KEPT),
          replaced_today: nextState.replaced_today,
          max_per_day: config.max_replacements_per_day,
          pending: nextState.pending.length,
          omitted: Math.max(0, result.entries.length - RECORD_ENTRIES_KEPT),
        };
  return { record, state: nextState, notices, quotas };
}
