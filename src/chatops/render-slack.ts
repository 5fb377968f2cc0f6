/**
 * Chat-ops replies as Slack slash-command responses: Block Kit (header, lines, fields, usage bars,
 * context) with a plain-text `text` fallback, `response_type` ephemeral unless the reply is public.
 * Every text is escaped for mrkdwn — untrusted parts (labels, Webshare's messages) fully, see
 * lib/markup.ts — and sent `verbatim`, so a sub-user label cannot ping `<!channel>` or `@here`.
 */
import { truncate } from '../lib/format';
import { renderSlackMarked, withoutMarkers } from '../lib/markup';
import { usageBar } from '../notifiers/common';
import { SLACK_LIMITS, type SlackBlock } from '../notifiers/slack';
import { replyText, type Reply, type Tone } from './reply';

export interface SlackCommandResponse {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: SlackBlock[];
  /** Deferred answers replace nothing: the acknowledgement stays, the answer follows it. */
  replace_original?: false;
}

const TONE_PREFIX: Record<Tone, string> = { info: '', success: '✅ ', warning: '⚠️ ', error: '⛔ ' };

function mrkdwn(text: string, max: number): { type: 'mrkdwn'; text: string; verbatim: true } {
  // verbatim: Slack does not turn bare URLs, #channels or @names in the text into links or mentions.
  return { type: 'mrkdwn', text: truncate(renderSlackMarked(truncate(text, max)), max), verbatim: true };
}

export function renderSlack(reply: Reply): SlackCommandResponse {
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      // Header blocks are plain text: code spans would show their backticks.
      text: {
        type: 'plain_text',
        text: truncate(
          `${TONE_PREFIX[reply.tone]}${withoutMarkers(reply.title).replaceAll('`', '')}`,
          SLACK_LIMITS.headerText,
        ),
        emoji: true,
      },
    },
  ];
  if (reply.lines.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn(reply.lines.join('\n'), SLACK_LIMITS.sectionText) });
  }
  for (let i = 0; i < reply.fields.length; i += SLACK_LIMITS.sectionFields) {
    blocks.push({
      type: 'section',
      fields: reply.fields
        .slice(i, i + SLACK_LIMITS.sectionFields)
        .map((f) => mrkdwn(`*${f.label}*\n${f.value}`, SLACK_LIMITS.fieldText)),
    });
  }
  for (const bar of reply.bars) {
    blocks.push({
      type: 'section',
      text: mrkdwn(`*${bar.label}*\n\`${usageBar(bar.percent)}\``, SLACK_LIMITS.sectionText),
    });
  }
  if (reply.footer)
    blocks.push({ type: 'context', elements: [mrkdwn(reply.footer, SLACK_LIMITS.sectionText)] });
  return {
    response_type: reply.ephemeral ? 'ephemeral' : 'in_channel',
    text: truncate(renderSlackMarked(replyText(reply)), SLACK_LIMITS.fallbackText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}

/** The immediate answer to a slow command; the real one follows through response_url. */
export function slackAck(text: string): SlackCommandResponse {
  return { response_type: 'ephemeral', text };
}
