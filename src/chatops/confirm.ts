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
