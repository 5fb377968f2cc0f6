/**
 * Discord webhook payloads: one embed coloured by severity, within Discord's embed limits, with
 * `allowed_mentions` empty so no text can ping anyone, sent with `?wait=true` so Discord confirms
 * the message was created (and reports errors) instead of answering 204 before validating it.
 */
import { truncate } from '../lib/format';
import { escapeDiscordMarkdown } from '../lib/markup';
import type { Notification } from '../model/notification';
import {
  contextLine,
  headline,
  isResolved,
  RESOLVED_COLOR,
  SEVERITY_COLOR,
  usageBar,
  type LinkOptions,
} from './common';

/** discord.com/developers/docs/resources/message#embed-object-embed-limits */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
} as const;

export interface DiscordEmbed {
  title: string;
  description: string;
  color: number;
  fields: { name: string; value: string; inline: boolean }[];
  footer: { text: string };
  timestamp: string;
  /** Makes the title a link (to the dashboard, when PUBLIC_URL is set). */
  url?: string;
}

export interface DiscordPayload {
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: never[] };
}

export function embedLength(embed: DiscordEmbed): number {
  return (
    embed.title.length +
    embed.description.length +
    embed.footer.text.length +
    embed.fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

export function discordPayload(n: Notification, links: LinkOptions = {}): DiscordPayload {
  const fields = isResolved(n)
    ? []
    : [
        ...n.fields.map((f) => ({ name: f.label, value: escapeDiscordMarkdown(f.value) })),
        ...(n.usage ? [{ name: 'Usage', value: `\`${usageBar(n.usage.percent)}\`` }] : []),
      ];
  const embed: DiscordEmbed = {
    title: truncate(escapeDiscordMarkdown(headline(n)), DISCORD_LIMITS.title),
    description: truncate(escapeDiscordMarkdown(n.summary || n.title || '-'), DISCORD_LIMITS.description),
    color: isResolved(n) ? RESOLVED_COLOR : SEVERITY_COLOR[n.severity],
    fields: fields.slice(0, DISCORD_LIMITS.fields).map((f) => ({
      name: truncate(f.name || '-', DISCORD_LIMITS.fieldName),
      value: truncate(f.value || '-', DISCORD_LIMITS.fieldValue),
      inline: true,
    })),
    footer: { text: truncate(contextLine(n), DISCORD_LIMITS.footer) },
    timestamp: n.occurred_at,
    ...(links.dashboardUrl ? { url: links.dashboardUrl } : {}),
  };
  // Keep the sum of all texts within 6000: drop fields from the end, then shorten the description.
  while (embedLength(embed) > DISCORD_LIMITS.total && embed.fields.length > 0) embed.fields.pop();
  const over = embedLength(embed) - DISCORD_LIMITS.total;
  if (over > 0) embed.description = truncate(embed.description, embed.description.length - over);
  return { embeds: [embed], allowed_mentions: { parse: [] } };
}

/** The webhook URL with `wait=true` added (keeping any `thread_id`). */
export function discordUrl(webhookUrl: string): string {
  const url = new URL(webhookUrl);
  url.searchParams.set('wait', 'true');
  return url.toString();
}

export function discordRequest(
  webhookUrl: string,
  n: Notification,
  links: LinkOptions = {},
): { url: string; init: RequestInit } {
  return {
    url: discordUrl(webhookUrl),
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(discordPayload(n, links)),
    },
  };
}
