/**
 * Slack incoming webhook payloads: Block Kit (header, summary, fields, usage bar, context) with a
 * plain-text `text` fallback for notifications and old clients. Every text is escaped for mrkdwn
 * (so a sub-user label cannot ping `<!channel>`) and cut to Block Kit's limits.
 */
import { truncate } from '../lib/format';
import { escapeSlackMrkdwn } from '../lib/markup';
import {
  ALERT_ACTION,
  ALERT_ACTIONS_BLOCK_ID,
  alertActionValue,
  offersSilence,
} from '../model/alert-actions';
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
  | { type: 'actions'; block_id?: string; elements: (SlackLinkButton | SlackActionButton)[] }
  | { type: 'divider' };

/** A link button: Slack opens the URL; nothing is posted back to us. */
export interface SlackLinkButton {
  type: 'button';
  text: { type: 'plain_text'; text: string };
  url: string;
  action_id: string;
}

/** A button Slack posts back to the app's Interactivity Request URL (/chatops/slack/interactions). */
export interface SlackActionButton {
  type: 'button';
  text: { type: 'plain_text'; text: string };
  action_id: string;
  value: string;
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
  const actions = actionsBlock(n, links);
  if (actions) blocks.push(actions);
  return {
    text: truncate(escapeSlackMrkdwn(`${title} — ${n.summary}`), SLACK_LIMITS.fallbackText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}

/**
 * The buttons under a message: the dashboard link (PUBLIC_URL set) and, on a firing alert when
 * chat-ops can verify the click (SLACK_SIGNING_SECRET set), "Silence 1 h" and "Silence until
 * resolved". A resolved message has nothing left to silence, so it gets only the link.
 */
function actionsBlock(n: Notification, links: LinkOptions): SlackBlock | null {
  const elements: (SlackLinkButton | SlackActionButton)[] = [];
  const silence = links.silenceButtons === true && n.alert !== undefined && offersSilence(n);
  if (silence && n.alert) {
    const value = alertActionValue(n.alert);
    elements.push(
      actionButton('Silence 1 h', ALERT_ACTION.silenceHour, value),
      actionButton('Silence until resolved', ALERT_ACTION.silenceUntilResolved, value),
    );
  }
  if (links.dashboardUrl) {
    elements.push({
      type: 'button',
      text: { type: 'plain_text', text: 'Open dashboard' },
      url: links.dashboardUrl,
      action_id: ALERT_ACTION.openDashboard,
    });
  }
  if (elements.length === 0) return null;
  // Without silence buttons the block is exactly what it was before they existed (no block_id).
  return silence
    ? { type: 'actions', block_id: ALERT_ACTIONS_BLOCK_ID, elements }
    : { type: 'actions', elements };
}

function actionButton(text: string, actionId: string, value: string): SlackActionButton {
  return { type: 'button', text: { type: 'plain_text', text }, action_id: actionId, value };
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
