/**
 * A click on a Slack alert message's silence buttons ("Silence 1 h", "Silence until resolved"):
 * who may, once per click, the silence it makes, and the message that replaces the buttons. The
 * route (routes/chatops/slack-interactions.ts) verifies the request first and delivers the answers.
 *
 * Both buttons make the same silences as POST /v1/silences and `/webshare silence`:
 * - "Silence 1 h": the alert key for an hour;
 * - "Silence until resolved": the incident the message is about (matcher `incident`, see
 *   alerts/silences.ts), so it ends when that incident resolves; the engine then deletes it.
 */
import * as z from 'zod';
import { addSilence, INCIDENT_SILENCE_MAX_MS, SilenceLimitError, type Silence } from '../alerts/silences';
import { readAlertState } from '../alerts/state-store';
import { formatTime } from '../lib/format';
import { untrusted } from '../lib/markup';
import {
  ALERT_ACTION,
  ALERT_ACTIONS_BLOCK_ID,
  SILENCE_HOUR_MS,
  type AlertActionValue,
} from '../model/alert-actions';
import type { CommandContext } from './context';
import { mayChange, notAllowedReply } from './core';
import { claimRequest } from './replay-guard';
import { errorReply, type Reply } from './reply';

export type SilenceAction = typeof ALERT_ACTION.silenceHour | typeof ALERT_ACTION.silenceUntilResolved;

export function isSilenceAction(actionId: string): actionId is SilenceAction {
  return actionId === ALERT_ACTION.silenceHour || actionId === ALERT_ACTION.silenceUntilResolved;
}

const AlertActionValueSchema = z.object({
  // One alert key, never a prefix: the button names the alert its message is about.
  key: z.string().regex(/^[a-z0-9_.:-]{1,200}$/i),
  rule: z.string().min(1).max(100),
  since: z.iso.datetime({ offset: true }),
}) satisfies z.ZodType<AlertActionValue>;

/** The alert a silence button names, or null when its value is not one we drew. */
export function parseAlertActionValue(value: string | undefined): AlertActionValue | null {
  if (value === undefined) return null;
  try {
    const parsed = AlertActionValueSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface SilenceClick {
  action: SilenceAction;
  alert: AlertActionValue;
  /**
   * Slack's id for this one click (trigger_id, or action_ts without one). A delivery of the same
   * click again carries the same id and the same user and alert, so it makes no second silence.
   */
  clickId: string;
}

export type ClickOutcome =
  /** Nothing changed; tell only the user who clicked. */
  | { kind: 'refused'; reply: Reply }
  /** A copy of a click already handled: nothing changed, and the first one already answered. */
  | { kind: 'already_handled' }
  | { kind: 'silenced'; silence: Silence; line: string };

/**
 * Checks the allow-list, claims the click once, then adds the silence. "Until resolved" on an
 * incident that is already over would silence nothing (and read as if it did): refused, nothing added.
 */
export async function silenceFromClick(ctx: CommandContext, click: SilenceClick): Promise<ClickOutcome> {
  if (!mayChange(ctx.config, ctx.actor)) {
    const why = 'Silencing an alert changes the alerting, so only allow-listed users may do it.';
    return { kind: 'refused', reply: notAllowedReply(ctx.actor, why) };
  }
  const untilResolved = click.action === ALERT_ACTION.silenceUntilResolved;
  if (untilResolved && !(await incidentOngoing(ctx, click.alert))) {
    const lines = ['This incident is no longer firing, so there is nothing to silence until it resolves.'];
    return { kind: 'refused', reply: errorReply('Already resolved', lines) };
  }
  const id = `click ${click.clickId} ${ctx.actor.userId} ${click.alert.key}`;
  const claim = await claimRequest(id, ctx, click.action);
  if (claim === 'replay') return { kind: 'already_handled' };
  if (claim === 'unavailable') {
    const lines = ['Could not check whether this click was already handled; it has been logged.'];
    return {
      kind: 'refused',
      reply: errorReply('Nothing was silenced', [...lines, 'Click again in a moment.']),
    };
  }
  const endsAt = ctx.nowMs + (untilResolved ? INCIDENT_SILENCE_MAX_MS : SILENCE_HOUR_MS);
  try {
    const silence = await addSilence(
      ctx.env.STATE,
      {
        matcher: untilResolved
          ? { key: click.alert.key, incident: click.alert.since }
          : { key: click.alert.key },
        starts_at: new Date(ctx.nowMs).toISOString(),
        ends_at: new Date(endsAt).toISOString(),
        comment: `chat-ops: slack user ${ctx.actor.userId} clicked ${untilResolved ? '"Silence until resolved"' : '"Silence 1 h"'}`,
      },
      ctx.nowMs,
    );
    ctx.log.info('silence created', { id: silence.id, matcher: silence.matcher, ends_at: silence.ends_at });
    // `<@U…>` is Slack's mention syntax; the user id was checked to be letters and digits.
    const until = untilResolved ? 'until it resolves' : `until ${formatTime(endsAt)}`;
    return { kind: 'silenced', silence, line: `🔕 Silenced by <@${ctx.actor.userId}> ${until}` };
  } catch (error) {
    if (error instanceof SilenceLimitError) {
      return { kind: 'refused', reply: errorReply('Silence not added', [untrusted(error.message)]) };
    }
    throw error;
  }
}

/** True while the alert engine still holds this incident of the alert (one KV read). */
async function incidentOngoing(ctx: CommandContext, alert: AlertActionValue): Promise<boolean> {
  const { state } = await readAlertState(ctx.env.STATE);
  return state.alerts[alert.key]?.since === Date.parse(alert.since);
}

type Block = Record<string, unknown>;

/**
 * The alert message as it was, with its silence buttons replaced by who silenced it until when
 * (the dashboard link stays). `original` is the message Slack sent back with the click; without
 * its blocks, the message becomes the line alone.
 */
export function silencedMessage(
  original: { text?: string | undefined; blocks?: Block[] | undefined } | undefined,
  line: string,
): { replace_original: true; text: string; blocks: Block[] } {
  const note: Block = { type: 'context', elements: [{ type: 'mrkdwn', text: line }] };
  const blocks = (original?.blocks ?? []).flatMap((block): Block[] => {
    if (block.block_id !== ALERT_ACTIONS_BLOCK_ID) return [block];
    const links = (Array.isArray(block.elements) ? (block.elements as Block[]) : []).filter(
      (element) => typeof element.url === 'string',
    );
    return links.length > 0 ? [note, { ...block, elements: links }] : [note];
  });
  if (!blocks.includes(note)) blocks.push(note);
  const text = original?.text ? `${original.text}\n${line}` : line;
  return { replace_original: true, text, blocks };
}
