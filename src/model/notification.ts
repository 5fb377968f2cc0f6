/**
 * What every channel sends: a notification, its severity, and the channels there are. Alerts,
 * remediation, provisioning announcements and tests all produce this shape; the notifiers render it.
 */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CHANNELS = ['slack', 'discord', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Field {
  label: string;
  value: string;
}

/** What a notification is about: any message the engine (or another area) sends. */
export type NotificationEvent =
  | 'alert.firing'
  | 'alert.escalated'
  | 'alert.reminder'
  | 'alert.resolved'
  | 'alert.test'
  | 'message'
  | SubUserEvent;

/** Provisioning announcements: events with a payload of their own, for machines (the signed webhook). */
export type SubUserEvent = 'subuser.created' | 'subuser.deleted';

export interface Notification {
  /** Deterministic id; the generic webhook sends it as `webhook-id`. */
  id: string;
  event: NotificationEvent;
  severity: Severity;
  title: string;
  summary: string;
  fields: Field[];
  usage?: { percent: number };
  /** ISO time of the event. */
  occurred_at: string;
  alert?: {
    key: string;
    rule: string;
    level: number;
    /** ISO time the incident started. */
    since: string;
  };
  values?: Record<string, number | string | null>;
  /** Only these channels, whatever the severity routes to (announcements go to the webhook only). */
  channels?: Channel[];
  /** An event's own payload, sent as the webhook's `data` as it is (subuser.* events). */
  data?: Record<string, unknown>;
}
