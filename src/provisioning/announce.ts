/**
 * Provisioning announcements: `subuser.created` and `subuser.deleted` as notifications for the
 * generic alert webhook (ALERT_WEBHOOK_URL, Standard Webhooks-signed), never with credentials. They
 * travel like every other notification: delivered at once where they can be, queued in the outbox
 * and retried by later ticks where they cannot (see cycle/hand-over.ts).
 */
import type { Notification, SubUserEvent } from '../model/notification';
import type { HookSource } from './command';

export interface SubUserAnnouncement {
  type: SubUserEvent;
  customerId: string;
  subUserId: number | null;
  plan: string | null;
  source: HookSource;
  deliveryId: string;
}

export function announcementNotification(announcement: SubUserAnnouncement, nowMs: number): Notification {
  const created = announcement.type === 'subuser.created';
  return {
    // Deterministic: a receiver deduplicating on webhook-id sees one event per hook delivery.
    id: `${announcement.type}:${announcement.source}:${announcement.deliveryId}`,
    event: announcement.type,
    severity: 'info',
    title: `Sub-user ${created ? 'created' : 'deleted'} for customer ${announcement.customerId}`,
    summary: created
      ? 'A signup created a Webshare sub-user.'
      : 'A cancellation deleted a Webshare sub-user.',
    fields: [],
    occurred_at: new Date(nowMs).toISOString(),
    channels: ['webhook'],
    data: {
      customer_id: announcement.customerId,
      subuser_id: announcement.subUserId,
      plan: announcement.plan,
      source: announcement.source,
      delivery_id: announcement.deliveryId,
    },
  };
}
