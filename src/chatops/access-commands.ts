/**
 * `authorize-ip add|remove <ip> confirm` and `reset-password confirm`: they change who may use the
 * proxies, so both are allow-listed, confirmed first and announced on the alert channels.
 *
 * The new password is never posted in chat, not even in a private reply. Ephemeral messages still
 * pass through and are held by Slack's and Discord's servers, reach every device the user is signed
 * in on, and sit on screen during a screen share; the admin API hands it to whoever holds the admin
 * token, over one HTTPS answer. So chat says the reset happened and where to read the password.
 */
import { CHATOPS_WEBSHARE_EXTRAS } from './settings';
import {
  announceAccessChange,
  authorizedIpsNotice,
  passwordResetNotice,
  type AccessActor,
} from '../alerts/access-notices';
import { outsideTickSender } from '../cycle/hand-over';
import { adding, removing } from '../webshare/access';
import { openWebshare } from '../webshare/open';
import type { WebshareApi } from '../webshare/port';
import type { CommandContext } from './context';
import { reply, type Reply } from './reply';

const ADDRESSES_SHOWN = 20;

function access(ctx: CommandContext): WebshareApi {
  return openWebshare(ctx.config, {
    ...CHATOPS_WEBSHARE_EXTRAS,
    kv: ctx.env.STATE,
    accessLock: ctx.env.ACCESS_LOCK,
  });
}

function actor(ctx: CommandContext): AccessActor {
  return { via: ctx.actor.platform, userId: ctx.actor.userId };
}

export async function authorizeIpCommand(
  ctx: CommandContext,
  command: { action: 'add' | 'remove'; ip: string },
): Promise<Reply> {
  const edit = command.action === 'add' ? adding([command.ip]) : removing([command.ip]);
  const change = await access(ctx).updateAuthorizedIps(edit);
  const list = change.authorized_ips.slice(0, ADDRESSES_SHOWN).map((ip) => `\`${ip}\``);
  const now = `Authorised now (${change.authorized_ips.length}): ${list.join(', ') || 'none'}.`;
  if (change.added.length === 0 && change.removed.length === 0) {
    const already = command.action === 'add' ? 'is already authorised' : 'was not authorised';
    return reply(`\`${command.ip}\` ${already}`, { lines: ['Nothing was changed.', now] });
  }
  const notice = await authorizedIpsNotice({
    actor: actor(ctx),
    nowMs: ctx.nowMs,
    added: change.added,
    removed: change.removed,
    total: change.authorized_ips.length,
  });
  await announceAccessChange(outsideTickSender(ctx.env, ctx.config, ctx.log, ctx.nowMs), ctx.log, notice);
  const done = command.action === 'add' ? 'may now use' : 'may no longer use';
  return reply(`\`${command.ip}\` ${done} the proxies without a password`, {
    lines: [now, 'The change was announced on the alert channels.'],
    tone: 'success',
  });
}

export async function resetPasswordCommand(ctx: CommandContext): Promise<Reply> {
  await access(ctx).resetPassword();
  const notice = await passwordResetNotice({ actor: actor(ctx), nowMs: ctx.nowMs });
  await announceAccessChange(outsideTickSender(ctx.env, ctx.config, ctx.log, ctx.nowMs), ctx.log, notice);
  ctx.log.info('proxy password reset from chat-ops', { platform: ctx.actor.platform });
  return reply('Proxy password reset', {
    lines: [
      'Webshare has a new proxy password; clients that sign in with username and password need it now.',
      'It is not posted in chat, not even to you: read it with `GET /v1/proxy-config` (admin token) or on the Webshare dashboard.',
    ],
    footer: 'Announced on the alert channels, without the password.',
    tone: 'success',
    ephemeral: true,
  });
}
