/**
 * Uploads the `/webshare` command definitions to Discord (a bulk overwrite: PUT replaces the whole
 * set, so a removed subcommand disappears too). Global commands by default; with a guild id, to one
 * server, where changes show at once. Used by scripts/discord-register.ts; takes `fetch` and the base
 * URL so tests run it against a recording sink.
 */
import type { FetchLike } from '../lib/http';
import { send } from '../lib/send';
import { DISCORD_COMMANDS, type ApplicationCommand } from './discord-commands';
import { DEFAULT_DISCORD_API_BASE_URL } from '../config';
import { insecureTransportReason } from '../lib/transport';

const REGISTER_TIMEOUT_MS = 15_000;
const SNOWFLAKE = /^\d{1,20}$/;

export interface RegisterOptions {
  applicationId: string;
  botToken: string;
  guildId?: string;
  baseUrl?: string;
  fetch?: FetchLike;
  commands?: ApplicationCommand[];
}

export class DiscordRegisterError extends Error {
  override name = 'DiscordRegisterError';
}

/** PUTs the commands; returns the endpoint and how many commands Discord now holds. */
export async function registerDiscordCommands(
  options: RegisterOptions,
): Promise<{ url: string; count: number }> {
  if (!SNOWFLAKE.test(options.applicationId)) {
    throw new DiscordRegisterError('DISCORD_APPLICATION_ID must be the numeric application id');
  }
  if (options.guildId !== undefined && !SNOWFLAKE.test(options.guildId)) {
    throw new DiscordRegisterError('DISCORD_GUILD_ID must be a numeric server id');
  }
  if (!options.botToken) throw new DiscordRegisterError('DISCORD_BOT_TOKEN is not set');
  const base = (options.baseUrl ?? DEFAULT_DISCORD_API_BASE_URL).replace(/\/+$/, '');
  // The bot token goes in the Authorization header: never over http to a remote host.
  let reason: string | null;
  try {
    reason = insecureTransportReason(new URL(base));
  } catch {
    reason = 'is not an http(s) URL';
  }
  if (reason !== null) {
    throw new DiscordRegisterError(`DISCORD_API_BASE_URL ${reason} (only https, or http to localhost)`);
  }
  const path = options.guildId
    ? `/applications/${options.applicationId}/guilds/${options.guildId}/commands`
    : `/applications/${options.applicationId}/commands`;
  const url = `${base}${path}`;
  const init = {
    method: 'PUT',
    headers: { Authorization: `Bot ${options.botToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(options.commands ?? DISCORD_COMMANDS),
  };
  const { verdict } = await send<{ status: number; ok: boolean; text: string } | Error>(
    () => ({ url, init }),
    {
      timeoutMs: REGISTER_TIMEOUT_MS,
      fetch: options.fetch,
      judge: async (attempt) => ({
        verdict: attempt.response
          ? { status: attempt.response.status, ok: attempt.response.ok, text: await attempt.response.text() }
          : new DiscordRegisterError(`Discord did not answer (${attempt.failure})`, { cause: attempt.cause }),
      }),
    },
  );
  if (verdict instanceof Error || verdict === undefined) throw verdict;
  const { text } = verdict;
  if (!verdict.ok) {
    // Discord's error body names the invalid field; it never contains the token.
    throw new DiscordRegisterError(
      `Discord answered ${verdict.status} for PUT ${path}: ${text.slice(0, 2000)}`,
    );
  }
  let count = (options.commands ?? DISCORD_COMMANDS).length;
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) count = parsed.length;
  } catch {
    // A sink may answer with plain text; the count sent is then the best we know.
  }
  return { url, count };
}
