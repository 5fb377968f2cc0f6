/**
 * The platform-neutral answer of a chat-ops command. The core builds it; render-slack.ts and
 * render-discord.ts turn it into Block Kit or an embed. Lines may use `code` spans only: the one
 * markup Slack mrkdwn and Discord markdown read the same way. Text from outside (labels, Webshare's
 * messages, what a user typed) goes in through lib/markup's `literal()` or `untrusted()`, never
 * pasted into a code span: a backtick in it would end the span.
 */
import { USAGE, type CommandKind } from './commands';

export type Tone = 'info' | 'success' | 'warning' | 'error';

export interface ReplyField {
  label: string;
  value: string;
}

export interface ReplyBar {
  label: string;
  percent: number;
}

export interface Reply {
  title: string;
  lines: string[];
  fields: ReplyField[];
  /** Usage bars (bandwidth, a sub-user's limit), drawn as text bars. */
  bars: ReplyBar[];
  tone: Tone;
  /** Shown only to the caller. Refusals, usage errors and anything carrying a secret always are. */
  ephemeral: boolean;
  /** A small print line (data age, who may run what). */
  footer?: string;
}

export function reply(title: string, parts: Partial<Omit<Reply, 'title'>> = {}): Reply {
  return {
    title,
    lines: parts.lines ?? [],
    fields: parts.fields ?? [],
    bars: parts.bars ?? [],
    tone: parts.tone ?? 'info',
    ephemeral: parts.ephemeral ?? true,
    ...(parts.footer === undefined ? {} : { footer: parts.footer }),
  };
}

export function errorReply(title: string, lines: string[] = []): Reply {
  return reply(title, { lines, tone: 'error', ephemeral: true });
}

export function usageReply(error: string, usage: string[]): Reply {
  return reply('Usage', {
    lines: [error, ...usage.map((line) => `\`${line.split(' — ')[0]}\` — ${line.split(' — ')[1] ?? ''}`)],
    tone: 'warning',
    ephemeral: true,
  });
}

export function helpReply(): Reply {
  return reply('webshare-ops commands', {
    lines: (Object.keys(USAGE) as CommandKind[]).map((kind) => {
      const [syntax, what] = USAGE[kind].split(' — ');
      return `\`${syntax}\` — ${what ?? ''}`;
    }),
    footer:
      'Add `in_channel` to post a read command’s answer to the channel. Changes need an allow-listed user.',
  });
}

/** The whole reply as (marked) text: Slack's notification fallback, logs, and clients without blocks. */
export function replyText(r: Reply): string {
  return [
    r.title,
    ...r.lines,
    ...r.fields.map((f) => `${f.label}: ${f.value}`),
    ...r.bars.map((b) => `${b.label}: ${Math.round(b.percent * 10) / 10}%`),
    ...(r.footer ? [r.footer] : []),
  ].join('\n');
}
