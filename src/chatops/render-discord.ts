/**
 * Chat-ops replies as Discord interaction messages: one embed coloured by tone, within Discord's
 * embed limits, `allowed_mentions` empty so no text can ping anyone, and flag 64 (EPHEMERAL) for
 * replies only the caller should see. Untrusted parts (labels, Webshare's messages) are escaped for
 * Discord markdown (lib/markup.ts); the footer is plain text on Discord, so it only loses the markers.
 */
import { truncate } from '../lib/format';
import { renderDiscordMarked, withoutMarkers } from '../lib/markup';
import { usageBar } from '../notifiers/common';
import { DISCORD_LIMITS, embedLength } from '../notifiers/discord';
import type { Reply, Tone } from './reply';

/** discord.com/developers/docs/resources/message#message-object-message-flags */
export const DISCORD_EPHEMERAL_FLAG = 64;

export interface DiscordMessage {
  embeds: {
    title: string;
    description?: string;
    color: number;
    fields: { name: string; value: string; inline: boolean }[];
    footer: { text: string };
  }[];
  allowed_mentions: { parse: never[] };
  flags?: number;
}

/** Slack's palette (as the alert notifiers use), so both platforms look alike. */
const TONE_COLOR: Record<Tone, number> = {
  info: 0x1d9bd1,
  success: 0x2eb67d,
  warning: 0xecb22e,
  error: 0xe01e5a,
};

export function renderDiscord(reply: Reply): DiscordMessage {
  const fields = [
    ...reply.fields.map((f) => ({
      name: renderDiscordMarked(f.label),
      value: renderDiscordMarked(f.value),
      inline: true,
    })),
    ...reply.bars.map((b) => ({ name: b.label, value: `\`${usageBar(b.percent)}\``, inline: false })),
  ];
  const embed: DiscordMessage['embeds'][number] & { description: string } = {
    title: truncate(renderDiscordMarked(reply.title), DISCORD_LIMITS.title),
    description: truncate(renderDiscordMarked(reply.lines.join('\n')), DISCORD_LIMITS.description),
    color: TONE_COLOR[reply.tone],
    fields: fields.slice(0, DISCORD_LIMITS.fields).map((f) => ({
      name: truncate(f.name || '-', DISCORD_LIMITS.fieldName),
      value: truncate(f.value || '-', DISCORD_LIMITS.fieldValue),
      inline: f.inline,
    })),
    footer: { text: truncate(withoutMarkers(reply.footer ?? 'webshare-ops'), DISCORD_LIMITS.footer) },
  };
  // Keep the sum of all texts within 6000: drop fields from the end, then shorten the description.
  const length = () => embedLength({ ...embed, timestamp: '' });
  while (length() > DISCORD_LIMITS.total && embed.fields.length > 0) embed.fields.pop();
  const over = length() - DISCORD_LIMITS.total;
  if (over > 0) embed.description = truncate(embed.description, embed.description.length - over);
  // Discord rejects an empty description; a reply made only of fields has none.
  const { description, ...rest } = embed;
  return {
    embeds: [description === '' ? rest : embed],
    allowed_mentions: { parse: [] },
    ...(reply.ephemeral ? { flags: DISCORD_EPHEMERAL_FLAG } : {}),
  };
}
