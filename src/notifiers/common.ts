/** Presentation shared by every channel: severity labels, colours and the usage bar. */
import type { Notification, Severity } from '../model/notification';

export const SEVERITY_LABEL: Record<Severity, string> = {
  info: 'INFO',
  warning: 'WARNING',
  critical: 'CRITICAL',
};

export const SEVERITY_EMOJI: Record<Severity, string> = {
  info: '🔵',
  warning: '🟠',
  critical: '🔴',
};

/** Discord embed colours (Slack's palette, so both channels look alike). */
export const SEVERITY_COLOR: Record<Severity, number> = {
  info: 0x1d9bd1,
  warning: 0xecb22e,
  critical: 0xe01e5a,
};
export const RESOLVED_COLOR = 0x2eb67d;

export function isResolved(n: Notification): boolean {
  return n.event === 'alert.resolved';
}

/** "[CRITICAL] Bandwidth at 100% of 50 GB", "[RESOLVED] …", "[TEST] …". */
export function headline(n: Notification): string {
  if (isResolved(n)) return `✅ RESOLVED: ${n.title}`;
  if (n.event === 'alert.test') return `🧪 TEST: ${n.title}`;
  const prefix =
    n.event === 'alert.escalated' ? 'ESCALATED ' : n.event === 'alert.reminder' ? 'STILL FIRING ' : '';
  return `${SEVERITY_EMOJI[n.severity]} ${prefix}${SEVERITY_LABEL[n.severity]}: ${n.title}`;
}

/** A 20-cell text bar: "▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓░░ 91.2%". Values above 100 % fill the bar. */
export function usageBar(percent: number, cells = 20): string {
  const clamped = Math.max(0, Math.min(100, percent));
  const filled = Math.round((clamped / 100) * cells);
  return `${'▓'.repeat(filled)}${'░'.repeat(cells - filled)} ${Math.round(percent * 10) / 10}%`;
}

/** The context line: what, which alert, since when. */
export function contextLine(n: Notification): string {
  const parts = [`severity ${n.severity}`];
  if (n.alert)
    parts.push(`alert ${n.alert.key}`, `since ${n.alert.since.replace('T', ' ').slice(0, 16)} UTC`);
  parts.push('webshare-ops');
  return parts.join(' · ');
}

/** Extras a channel adds around a message. */
export interface LinkOptions {
  /** `<PUBLIC_URL>/dashboard`, when PUBLIC_URL is set: Slack shows a button, Discord links the title. */
  dashboardUrl?: string | undefined;
  /**
   * SLACK_SIGNING_SECRET is set, so clicks can be verified: Slack messages about a firing alert
   * carry "Silence 1 h" and "Silence until resolved". Other channels ignore it.
   */
  silenceButtons?: boolean;
}
