/**
 * The commands that call Webshare: `usage`, `subusers`, `refresh confirm`, `replace`, `subuser create`
 * and `subuser delete … confirm`. They can take longer than the 3-second chat deadline, so the
 * adapters acknowledge first and run these in waitUntil. Proxy passwords appear only in the private
 * reply to `subuser create`; nothing here ever prints the API key.
 */
import { formatBytes, formatPercent, formatTime } from '../lib/format';
import { toCidr } from '../lib/ip';
import { bytesPerGb, type WebshareApi, type WebshareDialect } from '../webshare/api';
import { WebshareNotFoundError } from '../webshare/errors';
import { webshareClientFor } from '../webshare/from-config';
import { trackReplacement } from '../remediation/tracked';
import type { ListedSubUser } from '../webshare/schemas';
import type { CommandContext } from './context';
import { errorReply, reply, type Reply } from './reply';

/**
 * waitUntil work may run up to 30 s after the response; one slow Webshare call must leave room for
 * a retry and for posting the answer, so chat-ops is stricter than the client's defaults.
 */
const CHATOPS_WEBSHARE_TIMEOUT_MS = 8_000;
const CHATOPS_MAX_RETRY_WAIT_MS = 5_000;
const SUBUSERS_SHOWN = 40;

function client(ctx: CommandContext): WebshareApi {
  return webshareClientFor(
    ctx.config,
    { timeoutMs: CHATOPS_WEBSHARE_TIMEOUT_MS, maxRetryWaitMs: CHATOPS_MAX_RETRY_WAIT_MS },
    ctx.env.STATE,
  );
}

/** Limits are in the dialect's GB (bytesPerGb: 2^30 on v1, 10^9 on v2). */
function usagePercent(user: ListedSubUser, dialect: WebshareDialect): number | null {
  return user.proxy_limit > 0 ? (user.proxy_usage / (user.proxy_limit * bytesPerGb(dialect))) * 100 : null;
}

function limitText(user: ListedSubUser): string {
  return user.proxy_limit > 0 ? `${user.proxy_limit} GB` : 'unlimited';
}

export async function usageCommand(
  ctx: CommandContext,
  target: { id: number } | { label: string },
): Promise<Reply> {
  const webshare = client(ctx);
  let user: ListedSubUser | undefined;
  if ('id' in target) {
    try {
      user = await webshare.getSubUser(target.id);
    } catch (error) {
      if (error instanceof WebshareNotFoundError) return errorReply(`No sub-user ${target.id}`);
      throw error;
    }
  } else {
    const wanted = target.label.toLowerCase();
    user = (await webshare.listAllSubUsers()).find((u) => u.label.toLowerCase() === wanted);
    if (!user) return errorReply(`No sub-user labelled \`${target.label}\``, ['`subusers` lists them all.']);
  }
  // Request counts are a nice-to-have: a failure there still answers with the bandwidth.
  const [stats] = await Promise.allSettled([webshare.asSubUser(user.id).getProxyStats()]);
  const percent = usagePercent(user, webshare.dialect);
  const fields = [
    { label: 'Bandwidth', value: `${formatBytes(user.proxy_usage)} of ${limitText(user)}` },
    { label: 'Threads', value: user.max_thread_count === null ? 'default' : String(user.max_thread_count) },
    {
      label: 'Requests',
      value:
        stats.status === 'fulfilled'
          ? `${stats.value.requests_total} (${stats.value.requests_failed} failed)`
          : 'unavailable right now',
    },
    { label: 'Last used', value: user.last_use ? formatTime(Date.parse(user.last_use)) : 'never' },
  ];
  return reply(`Usage of \`${user.label}\` (sub-user ${user.id})`, {
    fields,
    bars: percent === null ? [] : [{ label: 'Bandwidth used', percent }],
    tone:
      percent !== null && percent >= 100 ? 'error' : percent !== null && percent >= 80 ? 'warning' : 'info',
  });
}

export async function subusersCommand(ctx: CommandContext): Promise<Reply> {
  const webshare = client(ctx);
  const users = await webshare.listAllSubUsers();
  if (users.length === 0) {
    return reply('No sub-users', {
      lines: ['Create one with `subuser create <label> <limit-GB> [threads]`.'],
    });
  }
  const lines = users.slice(0, SUBUSERS_SHOWN).map((u) => {
    const percent = usagePercent(u, webshare.dialect);
    const share = percent === null ? '' : ` (${formatPercent(percent)})`;
    return `\`${u.id}\` \`${u.label}\` — ${formatBytes(u.proxy_usage)} of ${limitText(u)}${share}`;
  });
  if (users.length > SUBUSERS_SHOWN) lines.push(`…and ${users.length - SUBUSERS_SHOWN} more.`);
  return reply(`Sub-users (${users.length})`, { lines });
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
  return reply(`Replacement requested for \`${replacement.ip_address}\``, {
    lines: [
      replacement.new_ip_address
        ? `New proxy: \`${replacement.new_ip_address}\`.`
        : `Webshare assigns the new ${single ? 'proxy' : 'proxies'} shortly; \`status\` shows the list after the next tick.`,
    ],
    tone: 'success',
  });
}

export async function subuserCreateCommand(
  ctx: CommandContext,
  command: { label: string; limitGb: number; threads: number | undefined },
): Promise<Reply> {
  const user = await client(ctx).createSubUser({
    label: command.label,
    proxy_limit: command.limitGb,
    ...(command.threads === undefined ? {} : { max_thread_count: command.threads }),
  });
  return reply(`Created sub-user \`${user.label}\` (${user.id})`, {
    fields: [
      { label: 'Proxy username', value: `\`${user.proxy_username}\`` },
      { label: 'Proxy password', value: `\`${user.proxy_password}\`` },
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
  return reply(`Deleted sub-user ${id} (\`${user.label}\`)`, {
    lines: ['Its proxy username and password no longer work.'],
    tone: 'success',
  });
}
