/**
 * The buttons a Slack alert message carries when chat-ops is configured, shared by the notifier that
 * draws them and the interactions route that handles a click: action ids, the block id, and the
 * value each silence button carries (which alert, which incident).
 */
import type { Notification } from './notification';

/** The actions block of an alert message; a click names it in `actions[].block_id`. */
export const ALERT_ACTIONS_BLOCK_ID = 'webshare_ops_alert_actions';

export const ALERT_ACTION = {
  /** Mutes the alert key for an hour, like `/webshare silence <key> 1h`. */
  silenceHour: 'silence_1h',
  /** Mutes this incident until it resolves (an incident-scoped silence, see alerts/silences.ts). */
  silenceUntilResolved: 'silence_until_resolved',
  /** The link button: Slack opens the dashboard and still posts the click, which changes nothing. */
  openDashboard: 'open_dashboard',
} as const;

export const SILENCE_HOUR_MS = 3_600_000;

/** What a silence button carries: enough to silence the alert without reading state first. */
export interface AlertActionValue {
  key: string;
  rule: string;
  /** ISO start of the incident (the notification's `alert.since`). */
  since: string;
}

export function alertActionValue(alert: NonNullable<Notification['alert']>): string {
  const value: AlertActionValue = { key: alert.key, rule: alert.rule, since: alert.since };
  return JSON.stringify(value);
}

/** Messages about an alert that is firing (first, escalated, still firing) carry the buttons. */
export function offersSilence(n: Notification): boolean {
  return (
    n.alert !== undefined &&
    (n.event === 'alert.firing' || n.event === 'alert.escalated' || n.event === 'alert.reminder')
  );
}
