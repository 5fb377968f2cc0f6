/**
 * Warnings shown on /v1/status and the dashboard: settings that work but leave something open.
 * Today: a configured chat-ops platform without its allow-list (see src/chatops/boundary.ts).
 */
import type { Config } from '../config';

export interface StatusWarning {
  code: string;
  message: string;
}

/**
 * Warnings for /v1/status and the dashboard: a configured chat-ops platform without its allow-list
 * answers any workspace or server that installs the app.
 */
export function chatopsBoundaryWarnings(config: Config): StatusWarning[] {
  const warnings: StatusWarning[] = [];
  if (config.slack.signingSecret && config.slack.allowedTeams.length === 0) {
    warnings.push({
      code: 'slack_open_to_any_workspace',
      message:
        'Slack chat-ops answers any workspace that installs the app: set SLACK_ALLOWED_TEAMS to your workspace id(s).',
    });
  }
  if (config.discord.publicKey && config.discord.allowedGuilds.length === 0) {
    warnings.push({
      code: 'discord_open_to_any_guild',
      message:
        'Discord chat-ops answers any server (and DMs) where the app is used: set DISCORD_ALLOWED_GUILDS to your server id(s).',
    });
  }
  return warnings;
}
