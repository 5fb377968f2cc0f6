/**
 * Slack incoming webhook payloads: Block Kit (header, summary, fields, usage bar, context) with a
 * plain-text `text` fallback for notifications and old clients. Every text is escaped for mrkdwn
 * (so a sub-user label cannot ping `<!channel>`) and cut to Block Kit's limits.
 */
import { truncate } from '../lib/format';
import { escapeSlackMrkdwn } from '../lib/markup';
import type { Notification } from '../model/notification';
import { contextLine, headline, isResolved, usageBar, type LinkOptions } from './common';

/** Block Kit limits (api.slack.com/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  fallbackText: 3000,
} as const;

export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: true } }
  | { type: 'section'; text: MrkdwnText }
  | { type: 'section'; fields: MrkdwnText[] }
  | { type: 'context'; elements: MrkdwnText[] }
  | { type: 'actions'; elements: SlackLinkButton[] }
  | { type: 'divider' };

/** A link button: Slack opens the URL; nothing is posted back to us. */
export interface SlackLinkButton {
  type: 'button';
  text: { type: 'plain_text'; text: string };
  url: string;
  action_id: string;
}

/** `verbatim`: Slack leaves bare URLs, #channels and @names in the text as they are. */
export type MrkdwnText = { type: 'mrkdwn'; text: string; verbatim?: true };

function mrkdwn(text: string, max: number): MrkdwnText {
  // Cut before escaping grows the text, then cut again in case entities pushed it over.
  return { type: 'mrkdwn', text: truncate(escapeSlackMrkdwn(truncate(text, max)), max), verbatim: true };
}

export function slackPayload(n: Notification, links: LinkOptions = {}): SlackPayload {
  const title = headline(n);
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(title, SLACK_LIMITS.headerText), emoji: true },
    },
    { type: 'section', text: mrkdwn(n.summary || n.title || '-', SLACK_LIMITS.sectionText) },
  ];
  const fields = n.fields.slice(0, SLACK_LIMITS.sectionFields);
  if (fields.length > 0 && !isResolved(n)) {
    blocks.push({
      type: 'section',
      fields: fields.map((f) => mrkdwn(`*${f.label}*\n${f.value}`, SLACK_LIMITS.fieldText)),
    });
  }
  if (n.usage && !isResolved(n)) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `\`${usageBar(n.usage.percent)}\`` } });
  }
  blocks.push({ type: 'context', elements: [mrkdwn(contextLine(n), SLACK_LIMITS.sectionText)] });
  if (links.dashboardUrl) {
    const button: SlackLinkButton = {
      type: 'button',
      text: { type: 'plain_text', text: 'Open dashboard' },
      url: links.dashboardUrl,
      action_id: 'open_dashboard',
    };
    blocks.push({ type: 'actions', elements: [button] });
  }
  return {
    text: truncate(escapeSlackMrkdwn(`${title} — ${n.summary}`), SLACK_LIMITS.fallbackText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}

export function slackRequest(
  webhookUrl: string,
  n: Notification,
  links: LinkOptions = {},
): { url: string; init: RequestInit } {
  return {
    url: webhookUrl,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(slackPayload(n, links)),
    },
  };
}
