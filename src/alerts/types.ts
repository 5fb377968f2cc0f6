/** Shapes shared by the rules, the lifecycle, the engine and the notifiers. */
import type { Severity } from './config';

export type { Channel, Severity } from './config';

export type RuleName =
  | 'bandwidth'
  | 'projection'
  | 'invalid_proxies'
  | 'failure_rate'
  | 'refreshes_exhausted'
  | 'replacements_exhausted'
  | 'subscription_ending'
  | 'subuser_usage'
  | 'webshare_unreachable'
  | 'webshare_auth';

export interface Field {
  label: string;
  value: string;
}

/** A rule's verdict for one alert key this tick. */
export interface Evaluation {
  key: string;
  rule: RuleName;
  /**
   * firing: the condition holds (with hysteresis applied). ok: it does not. unknown: the data to
   * decide is missing this tick (a failed upstream call, no new sweep), so the alert keeps its state.
   */
  status: 'firing' | 'ok' | 'unknown';
  /** Escalation step, 1-based (bandwidth 80/90/100 % are 1/2/3); 1 for single-step rules. */
  level: number;
  severity: Severity;
  /** Short title, e.g. "Bandwidth at 91.2%". */
  title: string;
  /** One or two plain-text sentences, specific and link-free. */
  summary: string;
  fields: Field[];
  /** Rendered as a usage bar by Slack (and a field elsewhere). */
  usage?: { percent: number };
  /** Machine-readable values for the webhook event. */
  values: Record<string, number | string | null>;
  /** Ticks the condition must hold beyond the first before firing; overrides `pending_ticks`. */
  forTicks?: number;
}

/** What a notification is about: any message the engine (or another area) sends. */
export type NotificationEvent =
  'alert.firing' | 'alert.escalated' | 'alert.reminder' | 'alert.resolved' | 'alert.test' | 'message';

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
}
