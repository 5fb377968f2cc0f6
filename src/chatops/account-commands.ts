/**
 * The commands that call Webshare — only those that change the account: `refresh confirm`, `replace`,
 * `subuser create` and `subuser delete … confirm` (reads answer from KV, see subuser-commands.ts).
 * They can take longer than the 3-second chat deadline, so the adapters acknowledge first and run
 * these in waitUntil. A created or deleted sub-user is recorded for readers at once
 * (storage/recent-subusers.ts). Proxy passwords appear only in the private reply to `subuser create`;
 * nothing here ever prints the API key.
 */
import { CHATOPS_WEBSHARE_EXTRAS } from './settings';
import { toCidr } from '../lib/ip';
import { toSubUserUsage } from '../model/snapshot';
import { RecentSubUsers } from '../storage/recent-subusers';
import { literal } from '../lib/markup';
import { WebshareNotFoundError } from '../webshare/errors';
import { openWebshare } from '../webshare/open';
import type { WebshareApi } from '../webshare/port';
import { trackReplacement } from '../remediation/tracked';
import type { ListedSubUser, SubUser } from '../webshare/types';
import type { CommandContext } from './context';
import { errorReply, reply, type Reply } from './reply';

function client(ctx: CommandContext): WebshareApi {
  return openWebshare(ctx.config, { ...CHATOPS_WEBSHARE_EXTRAS, kv: ctx.env.STATE });
}

function limitText(user: SubUser): string {
  return user.proxy_limit > 0 ? `${user.proxy_limit} GB` : 'unlimited';
}

export async function refreshCommand(ctx: CommandContext): Promise<Reply> {
  const info = await client(ctx).refreshProxyList();
  return reply('Proxy list refresh started', {
    lines: [
      'Webshare is replacing the proxy list; the new proxies appear within a few minutes.',
      `On-demand refreshes left: ${info.ondemand_refreshes_available} of ${info.ondemand_refreshes_total}.`,
    ],
    tone: 'success',
  });
}

export async function replaceCommand(ctx: CommandContext, target: string): Promise<Reply> {
  const replacement = await client(ctx).createReplacement(target);
  if (replacement.id !== undefined && replacement.state !== undefined && replacement.state !== 'completed') {
    // v2: Webshare carries it out after answering; the poller follows it and announces the new address.
    await trackReplacement(ctx.env.STATE, replacement, 'chatops', Date.now());
    return reply(`Replacement started for \`${replacement.ip_address}\``, {
      lines: [
        `Webshare accepted it (replacement ${replacement.id}, ${replacement.state}).`,
        'The new address is announced on the alert channels when it completes (within a tick or two).',
      ],
      tone: 'success',
    });
  }
  const single = toCidr(target)?.endsWith('/32') || toCidr(target)?.endsWith('/128');
  return reply(`Replacement requested for ${literal(replacement.ip_address)}`, {
    lines: [
      replacement.new_ip_address
        ? `New proxy: ${literal(replacement.new_ip_address)}.`
        : `Webshare assigns the new ${single ? 'proxy' : 'proxies'} shortly; \`status\` shows the list after the next tick.`,
    ],
    tone: 'success',
  });
}

export async function subuserCreateCommand(
  ctx: CommandContext,
  command: { label: string; limitGb: number; threads: number | undefined },
): Promise<Reply> {
  const webshare = client(ctx);
  const user = await webshare.createSubUser({
    label: command.label,
    proxy_limit: command.limitGb,
    ...(command.threads === undefined ? {} : { max_thread_count: command.threads }),
  });
  await recordForReaders(ctx, (recent) =>
    recent.recordCreated(toSubUserUsage(user, webshare.bytesPerGb), ctx.nowMs),
  );
  return reply(`Created sub-user ${literal(user.label)} (${user.id})`, {
    fields: [
      { label: 'Proxy username', value: literal(user.proxy_username) },
      { label: 'Proxy password', value: literal(user.proxy_password) },
      { label: 'Bandwidth limit', value: limitText(user) },
      { label: 'Threads', value: user.max_thread_count === null ? 'default' : String(user.max_thread_count) },
    ],
    footer:
      'Only you can see this reply: it holds the proxy password, which is never posted to the channel. Store it now.',
    tone: 'success',
    // Forced private whatever the caller asked: the password must not reach the channel.
    ephemeral: true,
  });
}

export async function subuserDeleteCommand(ctx: CommandContext, id: number): Promise<Reply> {
  const webshare = client(ctx);
  let user: ListedSubUser;
  try {
    user = await webshare.getSubUser(id);
    await webshare.deleteSubUser(id);
  } catch (error) {
    if (error instanceof WebshareNotFoundError)
      return errorReply(`No sub-user ${id}`, ['Nothing was deleted.']);
    throw error;
  }
  await recordForReaders(ctx, (recent) => recent.recordDeleted(id, ctx.nowMs));
  return reply(`Deleted sub-user ${id} (${literal(user.label)})`, {
    lines: ['Its proxy username and password no longer work.'],
    tone: 'success',
  });
}

/**
 * Makes the change visible to `subusers`, `usage` and the dashboard before the next refresh. Best
 * effort: the change at Webshare is done, so a KV failure is logged and the reply still goes out.
 */
async function recordForReaders(
  ctx: CommandContext,
  record: (recent: RecentSubUsers) => Promise<void>,
): Promise<void> {
  try {
    await record(new RecentSubUsers(ctx.env.STATE));
  } catch (error) {
    ctx.log.warn('chat-ops: could not record the sub-user change for readers', { error });
  }
}
