/**
 * One-off messages outside the alert lifecycle (auto-remediation notices, sub-user announcements):
 * routed by severity, delivered with the same retries, and queued in `alerts:outbox` for later ticks
 * when a channel fails.
 */
import type { Config } from '../config';
import type { SubrequestBudget } from '../lib/budget';
import type { Sleep } from '../lib/http';
import type { Logger } from '../lib/log';
import type { Channel, Notification } from '../model/notification';
import { deliverJobs, type DeliveryJob, type DeliveryResult } from '../notifiers/deliver';
import {
  applyResults,
  deliveryId,
  emptyDeliveryLog,
  type DeliveryLog,
  type OutboxItem,
} from '../notifiers/outbox';
import { channelsFor } from './routing';
import { ALERT_OUTBOX_LIMIT, ALERT_RECENT_LIMIT, ALERT_UNDELIVERABLE_LIMIT } from '../storage/keys';
import { readOutboxDoc, writeOutboxDocIfChanged } from './state-store';

export interface ChannelResult {
  channel: Channel;
  outcome: 'delivered' | 'queued' | 'undeliverable' | 'not_configured';
  status: number | null;
  error: string | null;
}

export function toChannelResult(channel: Channel, result: DeliveryResult | undefined): ChannelResult {
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
 * Only a tick may call it (it writes the outbox, which only the poll lease holder may); senders
 * outside a tick use cycle/hand-over.ts `notifyOutsideTick`.
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

/** One job per message per channel it goes to; `routed` keeps each message's channels, in order. */
function routeMessages(
  config: Config,
  messages: Notification[],
): { jobs: DeliveryJob[]; routed: Channel[][] } {
  const jobs: DeliveryJob[] = [];
  const routed = messages.map((message) => {
    const channels = channelsFor(config, message);
    for (const channel of channels) {
      jobs.push({ deliveryId: deliveryId(message.id, channel), channel, notification: message, attempts: 0 });
    }
    return channels;
  });
  return { jobs, routed };
}

function resultsPerMessage(routed: Channel[][], results: DeliveryResult[]): ChannelResult[][] {
  let index = 0;
  return routed.map((channels) => channels.map((channel) => toChannelResult(channel, results[index++])));
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
  const { jobs, routed } = routeMessages(config, messages);
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
  return resultsPerMessage(routed, results);
}

/**
 * For senders outside a tick (signup hooks): one attempt per channel now, and what did not go out
 * (and what a channel refused for good) as a piece of delivery log for a tick to fold into the
 * outbox with `adoptIntoOutbox`. Outside a tick nothing may write the outbox itself: ticks
 * read-modify-write it under the poll lease, and KV has no compare-and-set.
 */
export async function deliverOutsideTick(
  config: Config,
  messages: Notification[],
  budget: SubrequestBudget,
  log: Logger,
  nowMs: number,
): Promise<{ results: ChannelResult[][]; handOver: DeliveryLog | null }> {
  const { jobs, routed } = routeMessages(config, messages);
  const once: Config = {
    ...config,
    alerts: { ...config.alerts, delivery: { ...config.alerts.delivery, attempts_per_tick: 1 } },
  };
  const results = jobs.length > 0 ? await deliverJobs(jobs, { config: once, budget, log, nowMs }) : [];
  const { log: piece } = applyResults(emptyDeliveryLog(), {
    jobs,
    results,
    waiting: [],
    expired: [],
    nowMs,
    ttlMs: config.alerts.outbox_ttl_hours * 3_600_000,
  });
  const handOver = piece.outbox.length + piece.undeliverable.length > 0 ? piece : null;
  return { results: resultsPerMessage(routed, results), handOver };
}

/**
 * Folds pieces of delivery log handed over from outside a tick into the outbox document (one read,
 * one write), so their messages are retried like any other; a message already there is kept once.
 * Returns how many queued items were added.
 */
export async function adoptIntoOutbox(kv: KVNamespace, pieces: DeliveryLog[]): Promise<number> {
  if (pieces.length === 0) return 0;
  const { delivery, raw } = await readOutboxDoc(kv);
  const known = new Set(delivery.outbox.map((item) => item.deliveryId));
  const added: OutboxItem[] = [];
  for (const item of pieces.flatMap((p) => p.outbox)) {
    if (known.has(item.deliveryId)) continue;
    known.add(item.deliveryId);
    added.push(item);
  }
  const next: DeliveryLog = {
    outbox: [...delivery.outbox, ...added]
      .sort((a, b) => a.createdAt - b.createdAt)
      .slice(-ALERT_OUTBOX_LIMIT),
    recent: [...delivery.recent, ...pieces.flatMap((p) => p.recent)].slice(-ALERT_RECENT_LIMIT),
    undeliverable: [...delivery.undeliverable, ...pieces.flatMap((p) => p.undeliverable)].slice(
      -ALERT_UNDELIVERABLE_LIMIT,
    ),
  };
  await writeOutboxDocIfChanged(kv, next, raw);
  return added.length;
}
