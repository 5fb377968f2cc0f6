/**
 * The generic webhook: a JSON event signed per the Standard Webhooks spec. `webhook-id` is the
 * notification's deterministic id, so a receiver that dedupes on it processes each transition once
 * even if we deliver it twice (after a lost KV write or overlapping ticks).
 *
 * Body: { type, timestamp, data } with type `alert.firing` (data.transition says firing, escalated or
 * reminder), `alert.resolved`, `alert.test` or `notification` (one-off messages from notifyAll);
 * provisioning announcements are `subuser.created` / `subuser.deleted` with their own `data`.
 */
import type { Notification, NotificationEvent, SubUserEvent } from '../model/notification';
import { signStandardWebhook } from '../lib/standard-webhooks';
import type { LinkOptions } from './common';

export interface WebhookEvent {
  type: 'alert.firing' | 'alert.resolved' | 'alert.test' | 'notification';
  timestamp: string;
  data: {
    id: string;
    transition: NotificationEvent;
    severity: string;
    title: string;
    summary: string;
    fields: { label: string; value: string }[];
    alert: Notification['alert'] | null;
    values: Notification['values'] | null;
    /** `<PUBLIC_URL>/dashboard`; null when PUBLIC_URL is not set. */
    dashboard_url: string | null;
  };
}

/** A provisioning announcement: the event's own payload, never credentials. */
export interface SubUserWebhookEvent {
  type: SubUserEvent;
  timestamp: string;
  data: Record<string, unknown>;
}

function isSubUserEvent(event: NotificationEvent): event is SubUserEvent {
  return event === 'subuser.created' || event === 'subuser.deleted';
}

export function webhookEventType(event: Exclude<NotificationEvent, SubUserEvent>): WebhookEvent['type'] {
  switch (event) {
    case 'alert.resolved':
      return 'alert.resolved';
    case 'alert.test':
      return 'alert.test';
    case 'message':
      return 'notification';
    default:
      return 'alert.firing';
  }
}

export function webhookEvent(n: Notification, links: LinkOptions = {}): WebhookEvent | SubUserWebhookEvent {
  if (isSubUserEvent(n.event)) return { type: n.event, timestamp: n.occurred_at, data: n.data ?? {} };
  return {
    type: webhookEventType(n.event),
    timestamp: n.occurred_at,
    data: {
      id: n.id,
      transition: n.event,
      severity: n.severity,
      title: n.title,
      summary: n.summary,
      fields: n.fields,
      alert: n.alert ?? null,
      values: n.values ?? null,
      dashboard_url: links.dashboardUrl ?? null,
    },
  };
}

export async function webhookRequest(
  url: string,
  secret: string,
  n: Notification,
  nowMs: number,
  links: LinkOptions = {},
): Promise<{ url: string; init: RequestInit }> {
  const body = JSON.stringify(webhookEvent(n, links));
  const signed = await signStandardWebhook(secret, n.id, Math.floor(nowMs / 1000), body);
  return {
    url,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'webshare-ops', ...signed },
      body,
    },
  };
}
