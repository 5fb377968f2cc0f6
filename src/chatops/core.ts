/**
 * The one command core behind both chat adapters: decides, before any work, whether a parsed command
 * is answered at once (usage error, refusal), run inline (KV reads) or acknowledged and finished later
 * (Webshare calls), and who sees the answer; then runs it. Failures come back as error replies, never
 * as throws, so an adapter always has something to post.
 */
import type { Config } from '../config';
import { warnSubUserHeaderIgnored } from '../cycle/subuser-header-warning';
import { SUBUSER_HEADER_IGNORED_CODE, mapError } from '../error-mapping';
import { literal, untrusted } from '../lib/markup';
import {
  refreshCommand,
  replaceCommand,
  subuserCreateCommand,
  subuserDeleteCommand,
} from './account-commands';
import { authorizeIpCommand, resetPasswordCommand } from './access-commands';
import { alertsCommand, silenceCommand } from './alert-commands';
import { MUTATING, type Command, type ParseResult } from './commands';
import { confirmAuthorizeIp, confirmRefresh, confirmResetPassword, confirmSubuserDelete } from './confirm';
import type { Actor, CommandContext } from './context';
import { errorReply, helpReply, usageReply, type Reply } from './reply';
import { statusCommand } from './status-command';
import { subusersCommand, usageCommand } from './subuser-commands';

export type Plan =
  | { kind: 'reply'; reply: Reply }
  | {
      kind: 'run';
      command: Command;
      /** Calls Webshare: acknowledge within the 3-second deadline and finish in waitUntil. */
      slow: boolean;
      /** Decided up front: Discord fixes a deferred reply's visibility when it is acknowledged. */
      ephemeral: boolean;
    };

/**
 * True when the command calls Webshare: only changes do. Reads (`status`, `alerts`, `subusers`,
 * `usage`) and confirmation prompts answer from KV.
 */
export function isSlow(command: Command): boolean {
  switch (command.kind) {
    case 'replace':
    case 'subuser_create':
      return true;
    case 'refresh':
    case 'subuser_delete':
    case 'authorize_ip':
    case 'reset_password':
      return command.confirmed;
    default:
      return false;
  }
}

/**
 * Replies that must stay private whatever the caller asked: `subuser create` shows a password, and
 * `reset-password` is about one (its reply holds none, but says where to read it).
 */
function forcedPrivate(command: Command): boolean {
  return command.kind === 'subuser_create' || command.kind === 'reset_password';
}

export function allowedUsers(config: Config, platform: Actor['platform']): string[] {
  return platform === 'slack' ? config.slack.allowedUsers : config.discord.allowedUsers;
}

/** True when the actor is on its platform's allow-list: only they may change anything. */
export function mayChange(config: Config, actor: Actor): boolean {
  return allowedUsers(config, actor.platform).includes(actor.userId);
}

/** The refusal for a change by someone off the allow-list: why, and which variable lists them. */
export function notAllowedReply(actor: Actor, why: string): Reply {
  const variable = actor.platform === 'slack' ? 'SLACK_ALLOWED_USERS' : 'DISCORD_ALLOWED_USERS';
  return errorReply('Not allowed', [
    why,
    `Ask an admin to add your user id ${literal(actor.userId)} to ${variable}.`,
  ]);
}

export function planCommand(parsed: ParseResult, actor: Actor, config: Config): Plan {
  if (!parsed.ok) return { kind: 'reply', reply: usageReply(parsed.error, parsed.usage) };
  const { command } = parsed;
  if (MUTATING.has(command.kind) && !mayChange(config, actor)) {
    return {
      kind: 'reply',
      reply: notAllowedReply(
        actor,
        'This command changes the account, so only allow-listed users may run it. Read commands (`status`, `usage`, `subusers`, `alerts`, `help`) work for everyone.',
      ),
    };
  }
  return {
    kind: 'run',
    command,
    slow: isSlow(command),
    ephemeral: forcedPrivate(command) || !parsed.inChannel,
  };
}

/** Runs a planned command; failures become error replies. The reply's visibility is the plan's. */
export async function runCommand(command: Command, ephemeral: boolean, ctx: CommandContext): Promise<Reply> {
  let result: Reply;
  try {
    result = await execute(command, ctx);
  } catch (error) {
    const mapped = mapError(error);
    if (mapped.unexpected) ctx.log.error('chat-ops command failed', { command: command.kind, error });
    else ctx.log.warn('chat-ops command failed', { command: command.kind, error });
    if (mapped.body.error.code === SUBUSER_HEADER_IGNORED_CODE) {
      await warnSubUserHeaderIgnored(ctx.env, ctx.config, ctx.log, ctx.nowMs);
    }
    result = errorReply(`\`${command.kind.replace('_', ' ')}\` failed`, [
      mapped.unexpected
        ? 'Something went wrong on our side; it has been logged.'
        : untrusted(mapped.body.error.message),
    ]);
  }
  return { ...result, ephemeral: result.tone === 'error' || ephemeral || forcedPrivate(command) };
}

function execute(command: Command, ctx: CommandContext): Promise<Reply> {
  switch (command.kind) {
    case 'help':
      return Promise.resolve(helpReply());
    case 'status':
      return statusCommand(ctx);
    case 'alerts':
      return alertsCommand(ctx);
    case 'silence':
      return silenceCommand(ctx, command);
    case 'usage':
      return usageCommand(ctx, command.target);
    case 'subusers':
      return subusersCommand(ctx);
    case 'refresh':
      return command.confirmed ? refreshCommand(ctx) : confirmRefresh(ctx);
    case 'replace':
      return replaceCommand(ctx, command.target);
    case 'subuser_create':
      return subuserCreateCommand(ctx, command);
    case 'subuser_delete':
      return command.confirmed
        ? subuserDeleteCommand(ctx, command.id)
        : confirmSubuserDelete(ctx, command.id);
    case 'authorize_ip':
      return command.confirmed ? authorizeIpCommand(ctx, command) : confirmAuthorizeIp(command);
    case 'reset_password':
      return command.confirmed ? resetPasswordCommand(ctx) : confirmResetPassword();
  }
}
