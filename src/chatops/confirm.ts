/**
 * Confirmations for commands that spend a quota or destroy something. Stateless: the confirmation is
 * the same command with the word `confirm` added, so there is nothing to store, expire or replay —
 * and a confirmed command is exactly what the user typed. The prompt reads only KV (fast, inline)
 * to say what will be spent or deleted.
 */
import { formatBytes } from '../lib/format';
import { literal } from '../lib/markup';
import type { CommandContext } from './context';
import { reply, type Reply } from './reply';
import { readLatestSnapshot } from './status-command';
import { readSubUsers } from './subuser-commands';

export async function confirmRefresh(ctx: CommandContext): Promise<Reply> {
  const quotas = (await readLatestSnapshot(ctx))?.quotas;
  const left = quotas
    ? `You have ${quotas.ondemand_refreshes_available} of ${quotas.ondemand_refreshes_total} on-demand refreshes left (as of the last tick).`
    : 'How many on-demand refreshes are left is not known yet (no tick has run).';
  return reply('Refresh the whole proxy list?', {
    lines: [
      'This replaces every proxy in the list and uses one on-demand refresh.',
      left,
      'Run `refresh confirm` to go ahead.',
    ],
    tone: 'warning',
  });
}

export async function confirmSubuserDelete(ctx: CommandContext, id: number): Promise<Reply> {
  const known = (await readSubUsers(ctx)).subusers?.find((s) => s.id === id);
  const who = known
    ? `sub-user ${id} (${literal(known.label)}, ${formatBytes(known.proxy_usage)} used)`
    : `sub-user ${id}`;
  return reply(`Delete sub-user ${id}?`, {
    lines: [
      `This deletes ${who}; its proxy username and password stop working at once.`,
      `Run \`subuser delete ${id} confirm\` to go ahead.`,
    ],
    tone: 'warning',
  });
}

export function confirmAuthorizeIp(command: { action: 'add' | 'remove'; ip: string }): Promise<Reply> {
  const { action, ip } = command;
  return Promise.resolve(
    reply(action === 'add' ? `Authorise \`${ip}\`?` : `Stop authorising \`${ip}\`?`, {
      lines: [
        action === 'add'
          ? `Every request from \`${ip}\` may then use the proxies without a username or password.`
          : `Requests from \`${ip}\` then need the proxy username and password.`,
        `Run \`authorize-ip ${action} ${ip} confirm\` to go ahead.`,
      ],
      tone: 'warning',
    }),
  );
}

export function confirmResetPassword(): Promise<Reply> {
  return Promise.resolve(
    reply('Reset the proxy password?', {
      lines: [
        'Every client that signs in with the proxy username and password stops working until it uses the new one.',
        'The new password is not posted in chat; it is read from `GET /v1/proxy-config` (admin token).',
        'Run `reset-password confirm` to go ahead.',
      ],
      tone: 'warning',
    }),
  );
}
