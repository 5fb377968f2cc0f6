/**
 * `alerts` and `silence <alert> <duration>`: thin views over the alert engine's own storage
 * (readAlertsOverview in alerts/engine.ts, addSilence in alerts/silences.ts) — KV only, so both answer
 * inline. A chat silence is the same record POST /v1/silences makes, matched on the alert key.
 */
import { readAlertsOverview, type AlertOverviewEntry } from '../alerts/overview';
import { formatTime } from '../lib/format';
import { literal, untrusted } from '../lib/markup';
import { SilenceLimitError, addSilence } from '../alerts/silences';
import type { Severity } from '../model/notification';
import { SEVERITY_EMOJI } from '../notifiers/common';
import type { CommandContext } from './context';
import { errorReply, reply, type Reply } from './reply';

const ALERTS_SHOWN = 15;

export interface FiringAlert {
  key: string;
  title: string;
  severity: Severity;
  silenced: boolean;
}

/** Firing alerts, most severe first. */
export async function readFiringAlerts(ctx: CommandContext): Promise<FiringAlert[]> {
  const overview = await readAlertsOverview(ctx.env.STATE, ctx.nowMs);
  return [...overview.firing].sort(bySeverity).map((a) => ({
    key: a.key,
    title: a.title,
    severity: a.severity,
    silenced: a.silenced,
  }));
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

function bySeverity(a: AlertOverviewEntry, b: AlertOverviewEntry): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.since.localeCompare(b.since);
}

function alertLine(a: AlertOverviewEntry): string {
  const silenced = a.silenced ? ' · silenced' : '';
  return `${SEVERITY_EMOJI[a.severity]} ${literal(a.key)} ${untrusted(a.title)} — since ${formatTime(Date.parse(a.since))}${silenced}`;
}

export async function alertsCommand(ctx: CommandContext): Promise<Reply> {
  const overview = await readAlertsOverview(ctx.env.STATE, ctx.nowMs);
  const firing = [...overview.firing].sort(bySeverity);
  const lines: string[] = [];
  if (firing.length === 0) lines.push('No alerts firing.');
  else lines.push(`Firing (${firing.length}):`, ...firing.slice(0, ALERTS_SHOWN).map(alertLine));
  if (overview.pending.length > 0) {
    lines.push(
      `Pending (${overview.pending.length}):`,
      ...overview.pending.slice(0, ALERTS_SHOWN).map(alertLine),
    );
  }
  if (overview.silences.length > 0) {
    lines.push(
      `Silences (${overview.silences.length}):`,
      ...overview.silences.slice(0, ALERTS_SHOWN).map((s) => {
        const what = s.matcher.key ?? `rule ${s.matcher.rule ?? '?'}`;
        return `🔕 ${literal(what)} until ${formatTime(Date.parse(s.ends_at))}`;
      }),
    );
  }
  return reply('Alerts', {
    lines,
    tone: firing.some((a) => a.severity === 'critical') ? 'error' : firing.length > 0 ? 'warning' : 'success',
    footer: 'Silence one with `silence <alert> <duration>`, e.g. `silence bandwidth 2h`.',
  });
}

export async function silenceCommand(
  ctx: CommandContext,
  command: { alert: string; durationMs: number; duration: string },
): Promise<Reply> {
  const endsAt = ctx.nowMs + command.durationMs;
  try {
    const silence = await addSilence(
      ctx.env.STATE,
      {
        matcher: { key: command.alert },
        starts_at: new Date(ctx.nowMs).toISOString(),
        ends_at: new Date(endsAt).toISOString(),
        comment: `chat-ops: ${ctx.actor.platform} user ${ctx.actor.userId}`,
      },
      ctx.nowMs,
    );
    const overview = await readAlertsOverview(ctx.env.STATE, ctx.nowMs);
    const prefix = command.alert.endsWith('*') ? command.alert.slice(0, -1) : null;
    const matches = [...overview.firing, ...overview.pending].filter((a) =>
      prefix === null ? a.key === command.alert : a.key.startsWith(prefix),
    );
    return reply(`Silenced \`${command.alert}\` for ${describeDuration(command.durationMs)}`, {
      lines: [
        `Until ${formatTime(endsAt)}. Silence id \`${silence.id}\` (delete it with DELETE /v1/silences/${silence.id}).`,
        matches.length > 0
          ? `Matches ${matches.length} current alert${matches.length === 1 ? '' : 's'}: ${matches.map((a) => literal(a.key)).join(', ')}.`
          : 'No current alert has this key; the silence applies if one fires before it ends.',
      ],
      tone: 'success',
    });
  } catch (error) {
    if (error instanceof SilenceLimitError)
      return errorReply('Silence not added', [untrusted(error.message)]);
    throw error;
  }
}

/** "30 minutes", "2 hours", "1 day": the exact length asked for (formatDuration rounds to hours). */
export function describeDuration(ms: number): string {
  const [count, unit] =
    ms % 86_400_000 === 0
      ? [ms / 86_400_000, 'day']
      : ms % 3_600_000 === 0
        ? [ms / 3_600_000, 'hour']
        : [Math.round(ms / 60_000), 'minute'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
