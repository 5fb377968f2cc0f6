/** `POST /v1/alerts/test`: one message to every configured channel now, each result reported. */
import type { Config } from '../config';
import type { SubrequestBudget } from '../lib/budget';
import type { Logger } from '../lib/log';
import type { Notification } from '../model/notification';
import { configuredChannels, deliverJobs, type DeliveryJob } from '../notifiers/deliver';
import { deliveryId } from '../notifiers/outbox';
import { toChannelResult, type ChannelResult } from './one-off';

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
