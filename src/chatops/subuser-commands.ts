/**
 * `subusers` and `usage <id|label>`: answered from what the cron stored (the poller's sub-user list,
 * plus sub-users created or deleted since, see status/subusers.ts) — KV only, never a Webshare call,
 * so any number of them cost the account's rate limit nothing and answer inline. Each reply says how
 * old the figures are.
 */
import { formatAge, formatBytes, formatPercent, formatTime } from '../lib/format';
import type { SubUserUsage } from '../model/snapshot';
import { readSubUserListing, type SubUserListing } from '../status/subusers';
import { PollerStore } from '../storage/poller-store';
import { literal } from '../lib/markup';
import type { CommandContext } from './context';
import { errorReply, reply, type Reply } from './reply';

const SUBUSERS_SHOWN = 40;

export async function readSubUsers(ctx: CommandContext): Promise<SubUserListing> {
  const { state } = await new PollerStore(ctx.env.STATE, ctx.config.historyRetentionDays).readState(
    ctx.nowMs,
  );
  return readSubUserListing(ctx.env.STATE, state, ctx.nowMs);
}

function limitText(user: SubUserUsage): string {
  return user.proxy_limit_gb > 0 ? `${user.proxy_limit_gb} GB` : 'unlimited';
}

/** "As of Nov 27 14:00 UTC (4 min ago)", and what is newer than that. */
function asOf(listing: SubUserListing, nowMs: number): string {
  if (listing.fetchedAt === null) return 'The poller has not listed the sub-users yet.';
  const fetchedMs = Date.parse(listing.fetchedAt);
  const added =
    listing.addedSince > 0 ? ` ${listing.addedSince} created since then, not yet with usage figures.` : '';
  return `As of ${formatTime(fetchedMs)} (${formatAge(nowMs - fetchedMs)}); refreshed every 15 minutes.${added}`;
}

export async function subusersCommand(ctx: CommandContext): Promise<Reply> {
  const listing = await readSubUsers(ctx);
  const users = listing.subusers;
  if (users === null) {
    return reply('No sub-user list yet', {
      lines: ['The poller lists sub-users every 15 minutes; `POST /v1/poll` runs a tick now.'],
      tone: 'warning',
    });
  }
  if (users.length === 0) {
    return reply('No sub-users', {
      lines: ['Create one with `subuser create <label> <limit-GB> [threads]`.'],
      footer: asOf(listing, ctx.nowMs),
    });
  }
  const lines = users.slice(0, SUBUSERS_SHOWN).map((u) => {
    const share = u.usage_percent === null ? '' : ` (${formatPercent(u.usage_percent)})`;
    return `\`${u.id}\` ${literal(u.label)} — ${formatBytes(u.proxy_usage)} of ${limitText(u)}${share}`;
  });
  if (users.length > SUBUSERS_SHOWN) lines.push(`…and ${users.length - SUBUSERS_SHOWN} more.`);
  return reply(`Sub-users (${users.length})`, { lines, footer: asOf(listing, ctx.nowMs) });
}

export async function usageCommand(
  ctx: CommandContext,
  target: { id: number } | { label: string },
): Promise<Reply> {
  const listing = await readSubUsers(ctx);
  const users = listing.subusers ?? [];
  const wanted = 'label' in target ? target.label.toLowerCase() : null;
  const user = users.find((u) => ('id' in target ? u.id === target.id : u.label.toLowerCase() === wanted));
  if (!user) {
    const what =
      'id' in target ? `No sub-user ${target.id}` : `No sub-user labelled ${literal(target.label)}`;
    return errorReply(what, [
      listing.subusers === null
        ? 'The poller has not listed the sub-users yet; try again after the next tick.'
        : '`subusers` lists them all (as of the last refresh).',
    ]);
  }
  const percent = user.usage_percent;
  return reply(`Usage of ${literal(user.label)} (sub-user ${user.id})`, {
    fields: [{ label: 'Bandwidth', value: `${formatBytes(user.proxy_usage)} of ${limitText(user)}` }],
    bars: percent === null ? [] : [{ label: 'Bandwidth used', percent }],
    tone:
      percent !== null && percent >= 100 ? 'error' : percent !== null && percent >= 80 ? 'warning' : 'info',
    footer: asOf(listing, ctx.nowMs),
  });
}
