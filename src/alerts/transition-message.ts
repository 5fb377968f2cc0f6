/** The message of one lifecycle transition, with the deterministic id every channel delivery shares. */
import { sha256Hex } from '../lib/crypto';
import type { Notification } from '../model/notification';
import type { Transition } from './lifecycle';
import { resolvedText } from './rules';

export async function notificationId(key: string, since: number, seq: number): Promise<string> {
  return `msg_${(await sha256Hex(`${key}|${since}|${seq}`)).slice(0, 32)}`;
}

export async function transitionNotification(t: Transition, tickMs: number): Promise<Notification> {
  const e = t.evaluation;
  const resolved = t.kind === 'resolved';
  return {
    id: await notificationId(t.key, t.since, t.seq),
    event: `alert.${t.kind}`,
    severity: t.severity,
    title: resolved ? t.previousTitle : e.title,
    summary: resolved
      ? `${resolvedText(e)} Firing since ${new Date(t.since).toISOString().slice(0, 16).replace('T', ' ')} UTC.`
      : e.summary,
    fields: resolved ? [] : e.fields,
    ...(e.usage && !resolved ? { usage: e.usage } : {}),
    occurred_at: new Date(tickMs).toISOString(),
    alert: { key: t.key, rule: t.rule, level: t.level, since: new Date(t.since).toISOString() },
    values: e.values,
  };
}
