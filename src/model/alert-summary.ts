/**
 * The alert engine's state in brief, as the poller state carries it: `/metrics` serves it from the
 * one poller read, and the daily rollups count which alerts fired. Read at the start of a tick, so it
 * is the engine's state after the previous tick.
 */
import type { Severity } from './notification';

export interface AlertSummaryEntry {
  key: string;
  rule: string;
  severity: Severity;
  level: number;
  status: 'pending' | 'firing';
}

export interface AlertSummary {
  /** When it was read (the start of the tick that stored it). */
  as_of: string;
  alerts: AlertSummaryEntry[];
  /** Notifications waiting in an outbox for a later attempt. */
  queued: number;
  /** Deliveries refused for good (a 4xx such as 404/410), as kept in the delivery logs. */
  undeliverable: number;
}
