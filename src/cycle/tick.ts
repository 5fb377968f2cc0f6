/**
 * One poll of the account: read the poller state, fetch what is due within the tick's subrequest
 * budget and Webshare's per-minute limits, advance the validity sweep, and store the snapshot.
 * Never throws for upstream trouble: partial failure is recorded in the snapshot.
 */
import type { Notification } from '../model/notification';
import type { Config } from '../config';
import { SubrequestBudget } from '../lib/budget';
import type { Logger } from '../lib/log';
import { configuredChannels } from '../notifiers/deliver';
import { remediationReserve, runRemediation } from '../remediation/run';
import { PollerStore, TICK_STATE_LOOKBACK_HOURS } from '../storage/poller-store';
import { WebshareClient } from '../webshare/client';
import { RATE_LIMITS_PER_MINUTE, RATE_WINDOW_MS, SlidingWindowLimiter } from '../webshare/rate-limits';
import { SNAPSHOT_VERSION, type Snapshot, type SourceError } from '../model/snapshot';
import {
  capture,
  isReachabilityFailure,
  summariseQuotas,
  summariseStats,
  summariseSubscription,
  toSourceError,
} from '../poller/sources';
import type { PollerState } from '../model/poller-state';
import { refreshSubUsers } from '../poller/subuser-refresh';
import { sweepProgress, sweepStep } from '../poller/sweep';

/** The subscription changes rarely (plan changes, renewals): refetch it hourly. */
export const SUBSCRIPTION_CACHE_MS = 3_600_000;
/** Subrequests kept back per configured notification channel (a send, a retry, an outbox retry). */
export const NOTIFICATION_RESERVE_PER_CHANNEL = 3;
/** A tick must not stall on a long Retry-After: the next tick will try again. */
const TICK_MAX_RETRY_WAIT_MS = 5_000;
const TICK_MAX_ATTEMPTS = 3;
const TICK_REQUEST_TIMEOUT_MS = 10_000;

/** Channels that will really be notified (the webhook needs its secret too), for the budget reserve. */
function channelCount(config: Config): number {
  return configuredChannels(config).length;
}

export interface TickInput {
  kv: KVNamespace;
  config: Config;
  log: Logger;
  scheduledTime: number;
  nowMs: number;
  /** The cycle's budget when it already spent some (the poll lock); a fresh one otherwise. */
  budget?: SubrequestBudget;
}

export type TickResult =
  | { status: 'duplicate'; lastScheduledTime: number; kvReads: number; kvWrites: number }
  | { status: 'busy'; retryAfterMs: number; kvReads: number; kvWrites: number }
  | { status: 'not_configured'; reason: string; kvReads: number; kvWrites: number }
  | {
      status: 'done';
      snapshot: Snapshot;
      previous: Snapshot | null;
      /** The snapshots of the last hour or so, oldest first, this one included (read with the state). */
      recent: Snapshot[];
      budget: SubrequestBudget;
      /** Auto-remediation notices for the cycle to send (after the tick's write). */
      notices: Notification[];
      webshareCalls: number;
      sweepPages: number;
      kvReads: number;
      kvWrites: number;
    };

/** A limiter that already knows what recent ticks sent, so back-to-back ticks share one window. */
function limiterFromRecentCalls(state: PollerState, nowMs: number): SlidingWindowLimiter {
  const limiter = new SlidingWindowLimiter();
  for (const call of state.recent_calls) {
    if (call.at_ms <= nowMs - RATE_WINDOW_MS) continue;
    for (let i = 0; i < call.general; i++) limiter.record('general', call.at_ms);
    for (let i = 0; i < call.proxy_list; i++) limiter.record('proxyList', call.at_ms);
  }
  return limiter;
}

export async function runTick(input: TickInput): Promise<TickResult> {
  const { config, log, nowMs, scheduledTime } = input;
  const store = new PollerStore(input.kv, config.historyRetentionDays);
  const meter = store.meter;
  const { state, bucket, recent } = await store.readState(nowMs, {
    lookbackHours: TICK_STATE_LOOKBACK_HOURS,
  });

  // Idempotent on scheduledTime: a duplicated or late, overlapping tick changes nothing.
  if (scheduledTime <= state.last_scheduled_time) {
    log.info('tick skipped: already ran', { scheduledTime, lastScheduledTime: state.last_scheduled_time });
    return {
      status: 'duplicate',
      lastScheduledTime: state.last_scheduled_time,
      kvReads: meter.reads,
      kvWrites: 0,
    };
  }
  if (!config.webshareApiKey) {
    log.error('tick skipped: WEBSHARE_API_KEY is not set');
    return {
      status: 'not_configured',
      reason: 'WEBSHARE_API_KEY is not set',
      kvReads: meter.reads,
      kvWrites: 0,
    };
  }

  const nowIso = new Date(nowMs).toISOString();
  const budget = input.budget ?? new SubrequestBudget(config.subrequestBudget);
  const limiter = limiterFromRecentCalls(state, nowMs);
  const client = new WebshareClient({
    apiKey: config.webshareApiKey,
    baseUrl: config.webshareBaseUrl,
    budget,
    limiter,
    maxAttempts: TICK_MAX_ATTEMPTS,
    maxRetryWaitMs: TICK_MAX_RETRY_WAIT_MS,
    timeoutMs: TICK_REQUEST_TIMEOUT_MS,
  });
  const errors: SourceError[] = [];

  const [stats, quotas] = await Promise.all([
    capture('stats', () => client.getProxyStats()),
    capture('replacement_info', () => client.getReplacementInfo()),
  ]);
  for (const outcome of [stats, quotas]) if (!outcome.ok) errors.push(outcome.error);

  let subscription = state.subscription_cache;
  if (!subscription || nowMs - Date.parse(subscription.fetched_at) >= SUBSCRIPTION_CACHE_MS) {
    const fetched = await capture('subscription', () => client.getSubscription());
    if (fetched.ok) subscription = summariseSubscription(fetched.value, nowIso);
    else errors.push(fetched.error);
  }

  const reserve = channelCount(config) * NOTIFICATION_RESERVE_PER_CHANNEL;
  // Sub-users page in a few at a time, leaving the sweep most of the budget (see subuser-refresh.ts).
  const subusers = await refreshSubUsers({
    client,
    cache: state.subusers_cache,
    refresh: state.subusers_refresh ?? null,
    maxPages: Math.max(0, Math.floor((budget.remaining - reserve) / 2)),
    nowMs,
  });
  if (subusers.error) errors.push(subusers.error);
  const subusersCache = subusers.cache;

  const listRoom = RATE_LIMITS_PER_MINUTE.proxyList - limiter.countInWindow('proxyList', nowMs);
  // Room for pending remediation retries too, or a large account's sweep would take it all again.
  const pendingReserve = remediationReserve(config.remediation, state.remediation, channelCount(config));
  const maxPages = Math.max(
    0,
    Math.min(budget.remaining - reserve - pendingReserve, listRoom, config.sweepPagesPerTick ?? Infinity),
  );
  const step =
    maxPages > 0
      ? await sweepStep({
          accumulator: state.sweep,
          streaks: state.invalid_streaks,
          maxPages,
          fetchPage: (page) => client.listProxyValidity({ page }),
          nowIso,
        })
      : {
          accumulator: state.sweep,
          finished: null,
          streaks: state.invalid_streaks,
          pagesFetched: 0,
          error: undefined,
        };
  if (step.error !== undefined) errors.push(toSourceError('proxy_list', step.error));

  const coreFailures = errors.filter(
    (e) => (e.source === 'stats' || e.source === 'replacement_info') && isReachabilityFailure(e),
  );
  const reachedWebshare = coreFailures.length < 2;
  const consecutiveFailedTicks = reachedWebshare ? 0 : state.consecutive_failed_ticks + 1;
  const previous = state.latest;

  // Acts only on the sweep finished by THIS tick (never the carried-over one), plus pending retries.
  const remediation = await runRemediation({
    config: config.remediation,
    sweep: step.finished,
    quotas: quotas.ok ? summariseQuotas(quotas.value) : null,
    state: state.remediation,
    client,
    budget,
    keepSubrequests: reserve,
    channels: channelCount(config),
    nowMs,
    log,
  });

  const snapshot: Snapshot = {
    version: SNAPSHOT_VERSION,
    scheduled_time: scheduledTime,
    taken_at: nowIso,
    stats: stats.ok ? summariseStats(stats.value) : null,
    quotas: remediation.quotas,
    subscription,
    subusers: subusersCache?.subusers ?? null,
    sweep: step.finished ?? previous?.sweep ?? null,
    sweep_progress: sweepProgress(step.accumulator),
    errors,
    consecutive_failed_ticks: consecutiveFailedTicks,
    subrequests: { used: budget.used, limit: budget.limit },
    remediation: remediation.record,
  };

  const nextState: PollerState = {
    ...state,
    last_scheduled_time: scheduledTime,
    first_tick_at: state.first_tick_at ?? nowIso,
    last_tick_at: nowIso,
    last_success_at: stats.ok && quotas.ok ? nowIso : state.last_success_at,
    latest: snapshot,
    sweep: step.accumulator,
    invalid_streaks: step.streaks,
    subscription_cache: subscription,
    subusers_cache: subusersCache,
    subusers_refresh: subusers.refresh,
    recent_calls: [
      ...state.recent_calls.filter((call) => call.at_ms > nowMs - RATE_WINDOW_MS),
      { at_ms: nowMs, general: client.sentByBucket.general, proxy_list: client.sentByBucket.proxyList },
    ],
    consecutive_failed_ticks: consecutiveFailedTicks,
    remediation: remediation.state,
  };
  await store.writeTick(nowMs, bucket, snapshot, nextState);

  log.info('tick done', {
    scheduledTime,
    webshareCalls: client.requestCount,
    sweepPages: step.pagesFetched,
    errors: errors.map((e) => `${e.source}:${e.kind}`),
  });
  return {
    status: 'done',
    snapshot,
    previous,
    recent: [...recent.filter((entry) => entry.scheduled_time < scheduledTime), snapshot],
    budget,
    notices: remediation.notices,
    webshareCalls: client.requestCount,
    sweepPages: step.pagesFetched,
    kvReads: meter.reads,
    kvWrites: meter.writes,
  };
}
