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
 * (src/poller/cycle.ts) holds the PollLock Durable Object's lease while it runs: a manual poll during a
 * cron tick, or a slow tick overlapping the next, is turned away instead of evaluating in parallel.
 * This engine on its own (without that lease) would allow the duplicate; test/alerts/engine.test.ts
 * pins what receivers then see (the same `webhook-id`). A worker dying between sending and the state
 * write re-sends on the next tick (at-least-once, same ids).
 */
import type { Config } from '../config';
import type { SubrequestBudget } from '../lib/budget';
import { sha256Hex } from '../lib/crypto';
import type { Sleep } from '../lib/http';
import type { Logger } from '../lib/log';
import type { Snapshot } from '../model/snapshot';
import { configuredChannels, deliverJobs, type DeliveryJob, type DeliveryResult } from '../notifiers/deliver';
import {
  applyResults,
  deliveryId,
  partitionOutbox,
  type DeliveryLog,
  type DeliveryRecord,
  type OutboxItem,
} from '../notifiers/outbox';
import type { AlertsConfig } from '../config/alerts';
import { stepLifecycle, type AlertRecord, type Transition } from './lifecycle';
import { evaluateRules, resolvedText } from './rules';
import { isSilenced, readSilences, type Silence } from './silences';
import {
  readAlertState,
  readOutboxDoc,
  writeAlertStateIfChanged,
  writeOutboxDocIfChanged,
} from './state-store';
import type { Channel, Notification, Severity } from '../model/notification';

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

/** Channels a severity is routed to, among those configured. */
export function routeChannels(config: Config, severity: Severity): Channel[] {
  const configured = configuredChannels(config);
  return config.alerts.routing[severity].filter((c) => configured.includes(c));
}

export async function notificationId(key: string, since: number, seq: number): Promise<string> {
  return `msg_${(await sha256Hex(`${key}|${since}|${seq}`)).slice(0, 32)}`;
}

export async function transitionNotification(t: Transition, tickMs: number): Promise<Notification> {
  const e = t.evaluation;
  const resolved = t.kind === 'resolved';
  return {
    id: await notificationId(t.key, t.since, t.seq),
    event: `alert.${t.kind}`,
    severity: t.severity,
    title: resolved ? t.previousTitle : e.title,
    summary: resolved
      ? `${resolvedText(e)} Firing since ${new Date(t.since).toISOString().slice(0, 16).replace('T', ' ')} UTC.`
      : e.summary,
    fields: resolved ? [] : e.fields,
    ...(e.usage && !resolved ? { usage: e.usage } : {}),
    occurred_at: new Date(tickMs).toISOString(),
    alert: { key: t.key, rule: t.rule, level: t.level, since: new Date(t.since).toISOString() },
    values: e.values,
  };
}

type Origin = 'state' | 'outbox';

export async function runAlerting(input: AlertingInput): Promise<AlertingReport> {
  const { kv, config, log, current, nowMs } = input;
  const alerts: AlertsConfig = config.alerts;
  let kvReads = 0;
  let kvWrites = 0;
  const alertsProblems = config.problems.filter((p) => p.variable === 'ALERTS');
  if (alertsProblems.length > 0) {
    // Never silently ignored: every tick says the engine runs on defaults, and /healthz reports it.
    log.error('alerting: ALERTS is invalid; running with the default alert config', {
      problems: alertsProblems.map((p) => p.message),
    });
  }

  const [{ state, raw }, silences, outboxDoc] = await Promise.all([
    readAlertState(kv),
    readSilences(kv, nowMs),
    readOutboxDoc(kv),
  ]);
  kvReads += 3;

  // 1. Rules and lifecycle, once per new snapshot.
  let records = state.alerts;
  let transitions: Transition[] = [];
  if (current.scheduled_time > state.lastTick) {
    const prior: Record<string, number> = {};
    for (const r of Object.values(state.alerts)) prior[r.key] = r.level;
    const { evaluations, held } = evaluateRules({
      current,
      previous: input.previous,
      history: input.history,
      config: alerts,
      prior,
    });
    const stepped = stepLifecycle({
      records: state.alerts,
      evaluations,
      held,
      tick: current.scheduled_time,
      nowMs,
      pendingTicks: alerts.pending_ticks,
      repeatIntervalMs: alerts.repeat_interval_minutes * 60_000,
      isSilenced: (key, rule) => isSilenced(silences, key, rule, nowMs),
      channelsFor: (severity) => routeChannels(config, severity),
    });
    records = stepped.records;
    transitions = stepped.transitions;
  } else {
    log.info('alerting: snapshot already evaluated; only retrying the outbox', {
      scheduledTime: current.scheduled_time,
      lastTick: state.lastTick,
    });
  }

  // 2. New jobs, one per transition per channel.
  const ttlMs = alerts.outbox_ttl_hours * 3_600_000;
  const newJobs: (DeliveryJob & { createdAt: number; expiresAt: number })[] = [];
  for (const t of transitions) {
    const notification = await transitionNotification(t, current.scheduled_time);
    for (const channel of t.channels) {
      newJobs.push({
        deliveryId: deliveryId(notification.id, channel),
        channel,
        notification,
        attempts: 0,
        createdAt: nowMs,
        expiresAt: nowMs + ttlMs,
      });
    }
  }

  // 3. Deliver due outbox items (oldest first) and the new jobs, channels in parallel.
  const mine = partitionOutbox(state.delivery, nowMs);
  const theirs = partitionOutbox(outboxDoc.delivery, nowMs);
  const blocked = new Set<Channel>([...mine.waiting, ...theirs.waiting].map((i) => i.channel));
  const jobs: { job: DeliveryJob & Partial<OutboxItem>; origin: Origin }[] = [
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

  // 4. Fold results back into the two documents and write whichever changed.
  const fold = (log0: DeliveryLog, origin: Origin, part: ReturnType<typeof partitionOutbox>): DeliveryLog => {
    const picked = jobs.map((j, i) => ({ ...j, result: results[i] })).filter((j) => j.origin === origin);
    const { log: next, dropped } = applyResults(log0, {
      jobs: picked.map((p) => p.job),
      results: picked.map((p) => p.result as DeliveryResult),
      waiting: part.waiting,
      expired: part.expired,
      nowMs,
      ttlMs,
    });
    if (dropped > 0) log.warn('alerting: outbox full, dropped the oldest notifications', { dropped });
    for (const e of part.expired)
      log.warn('alerting: notification expired undelivered', { id: e.deliveryId, channel: e.channel });
    return next;
  };
  const nextState = { ...state, alerts: records, delivery: fold(state.delivery, 'state', mine) };
  if (JSON.stringify(nextState) !== JSON.stringify(state))
    nextState.lastTick = Math.max(state.lastTick, current.scheduled_time);
  if (await writeAlertStateIfChanged(kv, nextState, raw)) kvWrites++;
  const nextOutbox = fold(outboxDoc.delivery, 'outbox', theirs);
  if (await writeOutboxDocIfChanged(kv, nextOutbox, outboxDoc.raw)) kvWrites++;

  const notified = results.filter((r) => r.outcome === 'delivered').length;
  const failed = results.filter((r) => r.outcome === 'retry' || r.outcome === 'undeliverable').length;
  const queued = nextState.delivery.outbox.length + nextOutbox.outbox.length;
  const firing = Object.values(records)
    .filter((r) => r.status === 'firing')
    .map((r) => r.key)
    .sort();
  if (transitions.length > 0 || failed > 0) {
    log.info('alerting: tick', {
      transitions: transitions.map((t) => `${t.key}:${t.kind}`),
      notified,
      failed,
      queued,
    });
  }
  return { firing, notified, failed, queued, kvWrites, kvReads };
}

// ---------------------------------------------------------------- overview

export interface AlertOverviewEntry {
  key: string;
  rule: string;
  severity: Severity;
  status: AlertRecord['status'];
  level: number;
  title: string;
  summary: string;
  since: string;
  silenced: boolean;
}

export interface AlertsOverview {
  firing: AlertOverviewEntry[];
  pending: AlertOverviewEntry[];
  recent: DeliveryRecord[];
  undeliverable: DeliveryRecord[];
  queued: number;
  silences: Silence[];
}

/** What is firing, recent deliveries and undeliverable ones, for /v1/status, chat-ops and the dashboard. */
export async function readAlertsOverview(kv: KVNamespace, nowMs: number): Promise<AlertsOverview> {
  const [{ state }, silences, outbox] = await Promise.all([
    readAlertState(kv),
    readSilences(kv, nowMs),
    readOutboxDoc(kv),
  ]);
  const entries = Object.values(state.alerts).map((r): AlertOverviewEntry => ({
    key: r.key,
    rule: r.rule,
    severity: r.severity,
    status: r.status,
    level: r.level,
    title: r.title,
    summary: r.summary,
    since: new Date(r.since).toISOString(),
    silenced: isSilenced(silences, r.key, r.rule, nowMs),
  }));
  const byTimeDesc = (a: DeliveryRecord, b: DeliveryRecord) => b.at.localeCompare(a.at);
  return {
    firing: entries.filter((e) => e.status === 'firing'),
    pending: entries.filter((e) => e.status === 'pending'),
    recent: [...state.delivery.recent, ...outbox.delivery.recent].sort(byTimeDesc).slice(0, 20),
    undeliverable: [...state.delivery.undeliverable, ...outbox.delivery.undeliverable]
      .sort(byTimeDesc)
      .slice(0, 20),
    queued: state.delivery.outbox.length + outbox.delivery.outbox.length,
    silences,
  };
}

// ---------------------------------------------------------------- one-off messages

export interface ChannelResult {
  channel: Channel;
  outcome: 'delivered' | 'queued' | 'undeliverable' | 'not_configured';
  status: number | null;
  error: string | null;
}

function toChannelResult(channel: Channel, result: DeliveryResult | undefined): ChannelResult {
  if (!result) return { channel, outcome: 'queued', status: null, error: null };
  switch (result.outcome) {
    case 'delivered':
      return { channel, outcome: 'delivered', status: result.status, error: null };
    case 'undeliverable':
      return { channel, outcome: 'undeliverable', status: result.status, error: result.error };
    case 'retry':
      return { channel, outcome: 'queued', status: result.status, error: result.error };
    case 'deferred':
      return { channel, outcome: 'queued', status: null, error: result.reason };
  }
}

/**
 * Sends a one-off message (auto-remediation, sub-user announcements, …) through the channels its
 * severity routes to, with the same retries; what fails is queued in `alerts:outbox` and retried by
 * the next ticks. Costs one KV read and one write (the delivery log), never more.
 * Give `message.id` a deterministic value (e.g. derived from the action) so receivers can dedupe.
 */
export async function notifyAll(
  kv: KVNamespace,
  config: Config,
  message: Notification,
  budget: SubrequestBudget,
  log: Logger,
  options: { nowMs?: number; sleep?: Sleep } = {},
): Promise<ChannelResult[]> {
  const [results] = await notifyMany(kv, config, [message], budget, log, options);
  return results ?? [];
}

/**
 * notifyAll for several messages at once: one KV read and at most one write for the whole batch
 * (several notifyAll calls cost one write each). Results are per message, per routed channel.
 */
export async function notifyMany(
  kv: KVNamespace,
  config: Config,
  messages: Notification[],
  budget: SubrequestBudget,
  log: Logger,
  options: { nowMs?: number; sleep?: Sleep } = {},
): Promise<ChannelResult[][]> {
  const nowMs = options.nowMs ?? Date.now();
  const jobs: DeliveryJob[] = [];
  const routed = messages.map((message) => {
    const channels = routeChannels(config, message.severity);
    for (const channel of channels) {
      jobs.push({ deliveryId: deliveryId(message.id, channel), channel, notification: message, attempts: 0 });
    }
    return channels;
  });
  if (jobs.length === 0) return routed.map(() => []);
  const { delivery, raw } = await readOutboxDoc(kv);
  // Queued messages of a channel go first: a new one never overtakes them.
  const blocked = new Set(delivery.outbox.map((item) => item.channel));
  const results = await deliverJobs(jobs, { config, budget, log, nowMs, sleep: options.sleep, blocked });
  const { log: next } = applyResults(delivery, {
    jobs,
    results,
    waiting: delivery.outbox,
    expired: [],
    nowMs,
    ttlMs: config.alerts.outbox_ttl_hours * 3_600_000,
  });
  await writeOutboxDocIfChanged(kv, next, raw);
  let index = 0;
  return routed.map((channels) => channels.map((channel) => toChannelResult(channel, results[index++])));
}

/**
 * Sends a test message to every configured channel now (no routing, no outbox, one attempt each)
 * and reports each result; channels without their URL (or the webhook without its secret) are listed
 * as not configured.
 */
export async function sendTestNotifications(
  config: Config,
  budget: SubrequestBudget,
  log: Logger,
  nowMs: number,
): Promise<ChannelResult[]> {
  const configured = configuredChannels(config);
  const message: Notification = {
    id: `msg_test_${crypto.randomUUID().replaceAll('-', '')}`,
    event: 'alert.test',
    severity: 'info',
    title: 'Test notification from webshare-ops',
    summary: 'This channel receives webshare-ops alerts. No action is needed.',
    fields: [{ label: 'Sent at', value: new Date(nowMs).toISOString() }],
    occurred_at: new Date(nowMs).toISOString(),
  };
  const testConfig: Config = {
    ...config,
    alerts: { ...config.alerts, delivery: { ...config.alerts.delivery, attempts_per_tick: 1 } },
  };
  const jobs = configured.map((channel): DeliveryJob => ({
    deliveryId: deliveryId(message.id, channel),
    channel,
    notification: message,
    attempts: 0,
  }));
  const results = await deliverJobs(jobs, { config: testConfig, budget, log, nowMs });
  const byChannel = new Map(configured.map((channel, i) => [channel, toChannelResult(channel, results[i])]));
  return (['slack', 'discord', 'webhook'] as const).map((channel) => {
    const result = byChannel.get(channel);
    if (result) {
      // A test is not queued: report a retryable failure as what it was.
      return result.outcome === 'queued' ? { ...result, outcome: 'undeliverable' as const } : result;
    }
    const error =
      channel === 'webhook' && config.alertWebhook.url
        ? 'ALERT_WEBHOOK_SECRET is not set'
        : `${channel === 'slack' ? 'SLACK_WEBHOOK_URL' : channel === 'discord' ? 'DISCORD_WEBHOOK_URL' : 'ALERT_WEBHOOK_URL'} is not set`;
    return { channel, outcome: 'not_configured' as const, status: null, error };
  });
}
