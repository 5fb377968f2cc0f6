/**
 * The alert engine, called by the poller once per tick after it stored the snapshot:
 * read state, silences and the notifyAll outbox (3 KV reads) → rules → lifecycle → deliver the new
 * transitions and any due outbox items → write back only the documents that changed.
 *
 * Exactly one message per transition per channel:
 * - every transition has a deterministic id, sha256(key | incident start tick | sequence), and each
 *   channel delivery is `${id}:${channel}`; the generic webhook sends the id as `webhook-id`;
 * - the state (advanced records + outbox) is written in one put after delivery, so the next tick sees
 *   the transition as done and its undelivered channels in the outbox — nothing is derived twice;
 * - a snapshot whose scheduled time is not newer than the last one that changed the state is not
 *   re-evaluated (a retried or late tick re-sends nothing).
 *
 * What KV cannot give us: it has no compare-and-set, so two invocations running *at the same time*
 * over the same state would both see the transition and both send it. That is why the poll cycle
 * (src/cycle/tick.ts) holds the PollLock Durable Object's lease while it runs: a manual poll during a
 * cron tick, or a slow tick overlapping the next, is turned away instead of evaluating in parallel.
 * This engine on its own (without that lease) would allow the duplicate; test/alerts/engine.test.ts
 * pins what receivers then see (the same `webhook-id`). A worker dying between sending and the state
 * write re-sends on the next tick (at-least-once, same ids).
 */
import type { Config } from '../config';
import type { SubrequestBudget } from '../lib/budget';
import type { Sleep } from '../lib/http';
import type { Logger } from '../lib/log';
import type { Snapshot } from '../model/snapshot';
import { deliverJobs, type DeliveryJob, type DeliveryResult } from '../notifiers/deliver';
import {
  applyResults,
  deliveryId,
  partitionOutbox,
  type DeliveryLog,
  type OutboxItem,
} from '../notifiers/outbox';
import { stepLifecycle, type Transition } from './lifecycle';
import { routeChannels } from './routing';
import { transitionNotification } from './transition-message';
import { evaluateRules } from './rules';
import { isSilenced, pruneIncidentSilences, readSilences } from './silences';
import {
  readAlertState,
  type AlertState,
  readOutboxDoc,
  writeAlertStateIfChanged,
  writeOutboxDocIfChanged,
} from './state-store';
import type { Channel } from '../model/notification';

export interface AlertingInput {
  kv: KVNamespace;
  config: Config;
  log: Logger;
  current: Snapshot;
  previous: Snapshot | null;
  /**
   * Recent snapshots, oldest first, for forecasting: the ones read with the poller state (this hour's
   * bucket, or the last one's at the top of an hour) — no extra reads. May be empty.
   */
  history: Snapshot[];
  budget: SubrequestBudget;
  nowMs: number;
  /** Waits between retries (tests pass a fast one). */
  sleep?: Sleep;
}

export interface AlertingReport {
  firing: string[];
  notified: number;
  failed: number;
  queued: number;
  kvWrites: number;
  kvReads: number;
}

type Origin = 'state' | 'outbox';
type Job = DeliveryJob & Partial<OutboxItem>;
type Silences = Awaited<ReturnType<typeof readSilences>>;

export async function runAlerting(input: AlertingInput): Promise<AlertingReport> {
  const { kv, config, log, current, nowMs } = input;
  warnIfAlertsInvalid(config, log);
  const [{ state, raw }, silences, outboxDoc] = await Promise.all([
    readAlertState(kv),
    readSilences(kv, nowMs),
    readOutboxDoc(kv),
  ]);

  const { records, transitions } = evaluate(input, state, silences);
  const ttlMs = config.alerts.outbox_ttl_hours * 3_600_000;
  const newJobs = await jobsFor(transitions, current.scheduled_time, nowMs, ttlMs);

  // Deliver due outbox items (oldest first) and the new jobs, channels in parallel.
  const mine = partitionOutbox(state.delivery, nowMs);
  const theirs = partitionOutbox(outboxDoc.delivery, nowMs);
  const blocked = new Set<Channel>([...mine.waiting, ...theirs.waiting].map((i) => i.channel));
  const jobs: { job: Job; origin: Origin }[] = [
    ...[
      ...theirs.due.map((job) => ({ job, origin: 'outbox' as const })),
      ...mine.due.map((job) => ({ job, origin: 'state' as const })),
    ].sort((a, b) => (a.job.createdAt ?? 0) - (b.job.createdAt ?? 0)),
    ...newJobs.map((job) => ({ job, origin: 'state' as const })),
  ];
  const results =
    jobs.length > 0
      ? await deliverJobs(
          jobs.map((j) => j.job),
          { config, budget: input.budget, log, nowMs, sleep: input.sleep, blocked },
        )
      : [];

  // Fold results back into the two documents and write whichever changed.
  const fold = (from: DeliveryLog, origin: Origin, part: ReturnType<typeof partitionOutbox>) => {
    const picked = jobs.map((j, i) => ({ ...j, result: results[i] })).filter((j) => j.origin === origin);
    return foldResults(from, picked, part, { nowMs, ttlMs, log });
  };
  let kvWrites = 0;
  const nextState = { ...state, alerts: records, delivery: fold(state.delivery, 'state', mine) };
  if (JSON.stringify(nextState) !== JSON.stringify(state))
    nextState.lastTick = Math.max(state.lastTick, current.scheduled_time);
  if (await writeAlertStateIfChanged(kv, nextState, raw)) kvWrites++;
  const nextOutbox = fold(outboxDoc.delivery, 'outbox', theirs);
  if (await writeOutboxDocIfChanged(kv, nextOutbox, outboxDoc.raw)) kvWrites++;
  // "Silence until resolved" ends with its incident: drop it once the alert no longer holds it.
  const ongoing = (key: string, sinceMs: number) => records[key]?.since === sinceMs;
  const prune = await pruneIncidentSilences(kv, silences, ongoing, nowMs);
  kvWrites += prune.kvWrites;
  if (prune.pruned > 0) log.info('alerting: silences ended with their incidents', { pruned: prune.pruned });

  const notified = results.filter((r) => r.outcome === 'delivered').length;
  const failed = results.filter((r) => r.outcome === 'retry' || r.outcome === 'undeliverable').length;
  const queued = nextState.delivery.outbox.length + nextOutbox.outbox.length;
  const firing = Object.values(records)
    .filter((r) => r.status === 'firing')
    .map((r) => r.key)
    .sort();
  if (transitions.length > 0 || failed > 0) {
    const kinds = transitions.map((t) => `${t.key}:${t.kind}`);
    log.info('alerting: tick', { transitions: kinds, notified, failed, queued });
  }
  return { firing, notified, failed, queued, kvWrites, kvReads: 3 + prune.kvReads };
}

/** Never silently ignored: every tick says the engine runs on defaults, and /healthz reports it. */
function warnIfAlertsInvalid(config: Config, log: Logger): void {
  const problems = config.problems.filter((p) => p.variable === 'ALERTS');
  if (problems.length === 0) return;
  log.error('alerting: ALERTS is invalid; running with the default alert config', {
    problems: problems.map((p) => p.message),
  });
}

/** Rules and lifecycle, once per new snapshot: a retried or late tick only retries the outbox. */
function evaluate(
  input: AlertingInput,
  state: AlertState,
  silences: Silences,
): { records: AlertState['alerts']; transitions: Transition[] } {
  const { config, current, nowMs } = input;
  if (current.scheduled_time <= state.lastTick) {
    input.log.info('alerting: snapshot already evaluated; only retrying the outbox', {
      scheduledTime: current.scheduled_time,
      lastTick: state.lastTick,
    });
    return { records: state.alerts, transitions: [] };
  }
  const prior: Record<string, number> = {};
  for (const r of Object.values(state.alerts)) prior[r.key] = r.level;
  const { evaluations, held } = evaluateRules({
    current,
    previous: input.previous,
    history: input.history,
    config: config.alerts,
    prior,
  });
  return stepLifecycle({
    records: state.alerts,
    evaluations,
    held,
    tick: current.scheduled_time,
    nowMs,
    pendingTicks: config.alerts.pending_ticks,
    repeatIntervalMs: config.alerts.repeat_interval_minutes * 60_000,
    isSilenced: (key, rule, sinceMs) => isSilenced(silences, { key, rule, sinceMs }, nowMs),
    channelsFor: (severity) => routeChannels(config, severity),
  });
}

/** One delivery job per transition per channel. */
async function jobsFor(
  transitions: Transition[],
  tickMs: number,
  nowMs: number,
  ttlMs: number,
): Promise<(DeliveryJob & { createdAt: number; expiresAt: number })[]> {
  const jobs: (DeliveryJob & { createdAt: number; expiresAt: number })[] = [];
  for (const t of transitions) {
    const notification = await transitionNotification(t, tickMs);
    for (const channel of t.channels) {
      const id = deliveryId(notification.id, channel);
      jobs.push({
        deliveryId: id,
        channel,
        notification,
        attempts: 0,
        createdAt: nowMs,
        expiresAt: nowMs + ttlMs,
      });
    }
  }
  return jobs;
}

function foldResults(
  from: DeliveryLog,
  picked: { job: Job; result: DeliveryResult | undefined }[],
  part: ReturnType<typeof partitionOutbox>,
  options: { nowMs: number; ttlMs: number; log: Logger },
): DeliveryLog {
  const { log: next, dropped } = applyResults(from, {
    jobs: picked.map((p) => p.job),
    results: picked.map((p) => p.result as DeliveryResult),
    waiting: part.waiting,
    expired: part.expired,
    nowMs: options.nowMs,
    ttlMs: options.ttlMs,
  });
  const { log } = options;
  if (dropped > 0) log.warn('alerting: outbox full, dropped the oldest notifications', { dropped });
  for (const e of part.expired)
    log.warn('alerting: notification expired undelivered', { id: e.deliveryId, channel: e.channel });
  return next;
}
