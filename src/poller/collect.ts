/**
 * What a tick reads from Webshare: stats and quotas every tick, the subscription hourly, sub-users a
 * few pages at a time and a step of the validity sweep, all within the tick's subrequest budget and
 * Webshare's per-minute limits. No KV I/O here: the tick reads the state before and writes after.
 * Upstream failures are data (`errors`), never thrown.
 */
import type { Config } from '../config';
import type { SubrequestBudget } from '../lib/budget';
import type { PollerState } from '../model/poller-state';
import type { QuotaSummary, SourceError, StatsSummary, SubscriptionSummary } from '../model/snapshot';
import { openWebshareForTick, type TickWebshare } from '../webshare/open';
import { sweepProgress, type SweepStep } from '../webshare/sweep';
import {
  capture,
  isReachabilityFailure,
  summariseQuotas,
  summariseStats,
  summariseSubscription,
  toSourceError,
} from './sources';
import { sweepRequestsWithinCpu } from './cpu-budget';
import { refreshSubUsers, subUserPagesWanted, type SubUserStep } from './subuser-refresh';

/** The subscription changes rarely (plan changes, renewals): refetch it hourly. */
export const SUBSCRIPTION_CACHE_MS = 3_600_000;
/** A tick must not stall on a long Retry-After: the next tick will try again. */
const TICK_MAX_RETRY_WAIT_MS = 5_000;
const TICK_MAX_ATTEMPTS = 3;
const TICK_REQUEST_TIMEOUT_MS = 10_000;
/**
 * How long the tick's slots from the rate gate stay usable: its sweep reads page after page, and a
 * slot holds the account's window this much longer than an HTTP caller's 5 s one.
 */
export const TICK_SLOT_LEASE_MS = 30_000;

export interface Collected {
  stats: StatsSummary | null;
  quotas: QuotaSummary | null;
  subscription: SubscriptionSummary | null;
  subusers: SubUserStep;
  sweep: SweepStep;
  errors: SourceError[];
  /** Stats and quotas were both fetched: the tick counts as a success. */
  coreFetched: boolean;
  /** Fewer than both core sources failed for reachability (the watchdog's input). */
  reachedWebshare: boolean;
}

/**
 * The tick's Webshare port (src/webshare/open.ts): the dialect chosen, the tick's budget, short waits
 * and timeouts, and the rate window shared with recent ticks and, through the gate, every caller.
 */
export function connectForTick(options: {
  config: Config;
  kv: KVNamespace;
  budget: SubrequestBudget;
  state: PollerState;
  nowMs: number;
}): Promise<TickWebshare> {
  return openWebshareForTick({
    config: options.config,
    kept: options.state.webshare_api,
    kv: options.kv,
    budget: options.budget,
    nowMs: options.nowMs,
    recentCalls: options.state.recent_calls,
    policy: {
      maxAttempts: TICK_MAX_ATTEMPTS,
      maxRetryWaitMs: TICK_MAX_RETRY_WAIT_MS,
      timeoutMs: TICK_REQUEST_TIMEOUT_MS,
      slotLeaseMs: TICK_SLOT_LEASE_MS,
    },
  });
}

export async function collect(options: {
  connection: TickWebshare;
  state: PollerState;
  budget: SubrequestBudget;
  /** Subrequests kept for what comes after collecting (notifications). */
  keep: number;
  /** Further subrequests the sweep leaves (pending remediation retries). */
  sweepKeep: number;
  /** SWEEP_PAGES_PER_TICK, when set; otherwise the CPU model sizes the sweep (cpu-budget.ts). */
  sweepPagesCap: number | null;
  /** Bytes of the stored state the tick read, which the CPU model prices. */
  stateBytes: number;
  nowMs: number;
}): Promise<Collected> {
  const { state, budget, nowMs } = options;
  const { client } = options.connection;
  const nowIso = new Date(nowMs).toISOString();
  const errors: SourceError[] = [];
  // Once per tick: the slots the tick reserves and the pages it sweeps come from the same cap.
  const cap = sweepCap(options);
  await reserveTickSlots(options, cap);

  const [stats, quotas] = await Promise.all([
    capture('stats', () => client.getProxyStats()),
    capture('replacement_info', () => client.getReplacementInfo()),
  ]);
  for (const outcome of [stats, quotas]) if (!outcome.ok) errors.push(outcome.error);

  let subscription = state.subscription_cache;
  if (subscriptionDue(state, nowMs)) {
    const fetched = await capture('subscription', () => client.getSubscription());
    if (fetched.ok) subscription = summariseSubscription(fetched.value, nowIso);
    else errors.push(fetched.error);
  }

  // Sub-users page in a few at a time, leaving the sweep most of the budget (see subuser-refresh.ts).
  const subusers = await refreshSubUsers({
    client,
    cache: state.subusers_cache,
    refresh: state.subusers_refresh ?? null,
    maxPages: Math.max(0, Math.floor((budget.remaining - options.keep) / 2)),
    nowMs,
  });
  if (subusers.error) errors.push(subusers.error);

  const sweep = await sweepWithin(options, cap, nowIso);
  if (sweep.error !== undefined) errors.push(toSourceError('proxy_list', sweep.error));

  const coreFailures = errors.filter(
    (e) => (e.source === 'stats' || e.source === 'replacement_info') && isReachabilityFailure(e),
  );
  return {
    stats: stats.ok ? summariseStats(stats.value) : null,
    quotas: quotas.ok ? summariseQuotas(quotas.value) : null,
    subscription,
    subusers,
    sweep,
    errors,
    coreFetched: stats.ok && quotas.ok,
    reachedWebshare: coreFailures.length < 2,
  };
}

function subscriptionDue(state: PollerState, nowMs: number): boolean {
  const cached = state.subscription_cache;
  return !cached || nowMs - Date.parse(cached.fetched_at) >= SUBSCRIPTION_CACHE_MS;
}

/**
 * The tick's slots from the rate gate in one round trip (itself a subrequest): the general requests it
 * plans (stats, quotas, the subscription when due, sub-user pages) and as many list pages as its budget
 * and its sweep cap (`cap`: SWEEP_PAGES_PER_TICK or the CPU model) allow. Retries and remediation
 * refill later if they need to.
 */
async function reserveTickSlots(options: Parameters<typeof collect>[0], cap: number): Promise<void> {
  const { slots, limiter } = options.connection;
  if (!slots) return;
  const { state, budget, nowMs } = options;
  const spendable = Math.max(0, budget.remaining - 1 - options.keep);
  const subUserPages = subUserPagesWanted(state.subusers_cache, state.subusers_refresh ?? null, nowMs);
  const general = Math.min(spendable, 2 + (subscriptionDue(state, nowMs) ? 1 : 0) + subUserPages);
  const proxyList = Math.max(0, Math.min(spendable - general - options.sweepKeep, cap));
  await slots.reserve({ general, proxyList }, limiter.limits);
}

/** SWEEP_PAGES_PER_TICK when set; otherwise the list requests the tick's CPU model affords. */
function sweepCap(options: Parameters<typeof collect>[0]): number {
  if (options.sweepPagesCap !== null) return options.sweepPagesCap;
  const { state } = options;
  const { client } = options.connection;
  // A paged sweep knows how many pages are left once its first page told the list's size; a filtered
  // one's requests are not pages of the list.
  const progress = state.sweep && !state.sweep.filtered ? sweepProgress(state.sweep) : null;
  return sweepRequestsWithinCpu({
    listRequestMs: client.sweepRequestCpuMs(state.sweep?.page_size ?? null),
    stateBytes: options.stateBytes,
    tracked: Math.max(state.sweep?.tracked ?? 0, state.invalid_streaks.size),
    requestsLeft: progress?.pages_total ? progress.pages_total - progress.pages_done : null,
  });
}

/** One step of the validity sweep, as many pages as the budget, the list limit and the cap allow. */
async function sweepWithin(
  options: Parameters<typeof collect>[0],
  cap: number,
  nowIso: string,
): Promise<SweepStep> {
  const { state, budget, nowMs } = options;
  const { client, limiter } = options.connection;
  const listRoom = client.rateLimits.proxyList - limiter.countInWindow('proxyList', nowMs);
  // With the gate, the list slots it granted (an unreachable gate leaves the local limit alone).
  const { slots } = options.connection;
  const gatedRoom = slots && !slots.unreachable ? slots.held('proxyList') : Infinity;
  const maxPages = Math.max(
    0,
    Math.min(budget.remaining - options.keep - options.sweepKeep, listRoom, gatedRoom, cap),
  );
  if (maxPages === 0) {
    return {
      accumulator: state.sweep,
      finished: null,
      streaks: state.invalid_streaks,
      pagesFetched: 0,
      error: undefined,
    };
  }
  // The dialect's own sweep: v1 walks the pages, v2 filters; a cursor of the other kind starts over.
  return client.sweep({
    accumulator: state.sweep,
    streaks: state.invalid_streaks,
    maxRequests: maxPages,
    nowIso,
  });
}
