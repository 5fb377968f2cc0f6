/**
 * What a tick stores, built from what it collected and what remediation did: the snapshot and the
 * poller state carried to the next tick. Pure: the tick writes both in its one KV write.
 */
import type { AlertSummary } from '../model/alert-summary';
import type { RemediationRecord, RemediationState } from '../model/remediation';
import type { DialectChoice, WebshareDialect } from '../model/dialect';
import type { DigestState, PollerState } from '../model/poller-state';
import { SNAPSHOT_VERSION, type QuotaSummary, type Snapshot } from '../model/snapshot';
import { RATE_WINDOW_MS } from '../webshare/rate-limits';
import type { Collected } from './collect';
import { logRemediation, rollTick } from './rollup';
import { sweepProgress } from '../webshare/sweep';

export interface TickFacts {
  /** The dialect choice to keep (null: probe again next tick). */
  webshareApi: DialectChoice | null;
  /** The dialect this tick spoke. */
  dialect: WebshareDialect;
  scheduledTime: number;
  nowMs: number;
  collected: Collected;
  /** After remediation: the quotas it spent are already taken off. */
  quotas: QuotaSummary | null;
  remediation: { record: RemediationRecord | null; state: RemediationState };
  subrequests: { used: number; limit: number };
  /** Webshare requests this tick sent per rate-limit class, for the next ticks' shared window. */
  sent: { general: number; proxyList: number };
  /** The alert engine's state as this tick started (null when it could not be read). */
  alertSummary?: AlertSummary | null;
  /** The digest's record after this tick (unchanged when no digest is due). */
  digest?: DigestState;
}

export function buildSnapshot(previous: PollerState, facts: TickFacts): Snapshot {
  const { collected } = facts;
  return {
    version: SNAPSHOT_VERSION,
    scheduled_time: facts.scheduledTime,
    taken_at: new Date(facts.nowMs).toISOString(),
    stats: collected.stats,
    quotas: facts.quotas,
    subscription: collected.subscription,
    subusers: collected.subusers.cache?.subusers ?? null,
    sweep: collected.sweep.finished ?? previous.latest?.sweep ?? null,
    sweep_progress: sweepProgress(collected.sweep.accumulator),
    errors: collected.errors,
    consecutive_failed_ticks: consecutiveFailedTicks(previous, collected),
    subrequests: facts.subrequests,
    webshare_api: facts.dialect,
    remediation: facts.remediation.record,
  };
}

export function advanceState(previous: PollerState, facts: TickFacts, snapshot: Snapshot): PollerState {
  const { collected, nowMs } = facts;
  const nowIso = snapshot.taken_at;
  return {
    ...previous,
    last_scheduled_time: facts.scheduledTime,
    first_tick_at: previous.first_tick_at ?? nowIso,
    last_tick_at: nowIso,
    last_success_at: collected.coreFetched ? nowIso : previous.last_success_at,
    latest: snapshot,
    sweep: collected.sweep.accumulator,
    invalid_streaks: collected.sweep.streaks,
    subscription_cache: collected.subscription,
    subusers_cache: collected.subusers.cache,
    subusers_refresh: collected.subusers.refresh,
    recent_calls: [
      ...previous.recent_calls.filter((call) => call.at_ms > nowMs - RATE_WINDOW_MS),
      { at_ms: nowMs, general: facts.sent.general, proxy_list: facts.sent.proxyList },
    ],
    consecutive_failed_ticks: snapshot.consecutive_failed_ticks,
    remediation: facts.remediation.state,
    rollups: rollTick(previous.rollups, snapshot, firingKeys(facts.alertSummary)),
    remediation_log: logRemediation(previous.remediation_log, snapshot),
    alert_summary: facts.alertSummary ?? previous.alert_summary ?? null,
    digest: facts.digest ?? previous.digest ?? { last_period: null, sent_at: null },
    webshare_api: facts.webshareApi,
  };
}

function firingKeys(summary: AlertSummary | null | undefined): string[] {
  return (summary?.alerts ?? []).filter((a) => a.status === 'firing').map((a) => a.key);
}

function consecutiveFailedTicks(previous: PollerState, collected: Collected): number {
  return collected.reachedWebshare ? 0 : previous.consecutive_failed_ticks + 1;
}
