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
import { applyResults, deliveryId } from '../notifiers/outbox';
import { routeChannels } from './routing';
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
