/**
 * Which workspaces and servers chat-ops answers. Slack and Discord sign every request for any
 * workspace or server that installed the app; a public Discord app added to a stranger's server
 * would otherwise show bandwidth, quotas, alerts and every sub-user label there. With
 * SLACK_ALLOWED_TEAMS / DISCORD_ALLOWED_GUILDS set, a request from elsewhere (and any Discord DM,
 * which has no server) gets one fixed sentence: nothing from the account, not even the command list.
 *
 * Why no check of Slack's `api_app_id`: each Slack app has its own signing secret, so a request that
 * passed the signature check was signed for this app; an app id check would add nothing.
 */
import type { Config } from '../config';
import { reply, type Reply } from './reply';

/** The whole refusal: fixed text, so it can carry nothing from the account. */
export const OUTSIDE_BOUNDARY_TEXT = 'webshare-ops does not answer here.';

export function outsideBoundaryReply(): Reply {
  return reply(OUTSIDE_BOUNDARY_TEXT, { tone: 'error', ephemeral: true });
}

/**
 * True when a Slack command may run: no allow-list, or its workspace (`team_id`) or its Enterprise
 * Grid organisation (`enterprise_id`, so one entry covers an org-wide install) is listed.
 */
export function slackTeamAllowed(
  config: Config,
  request: { teamId: string | undefined; enterpriseId: string | undefined },
): boolean {
  const allowed = config.slack.allowedTeams;
  if (allowed.length === 0) return true;
  return [request.teamId, request.enterpriseId].some((id) => id !== undefined && allowed.includes(id));
}

/** True when a Discord interaction may run: no allow-list, or it comes from a listed server (a DM has none). */
export function discordGuildAllowed(config: Config, guildId: string | undefined): boolean {
  const allowed = config.discord.allowedGuilds;
  if (allowed.length === 0) return true;
  return guildId !== undefined && allowed.includes(guildId);
}
