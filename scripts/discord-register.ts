/**
 * `npm run discord:register`: uploads the `/webshare` slash command to Discord.
 *   DISCORD_APPLICATION_ID  the application id (General Information page)
 *   DISCORD_BOT_TOKEN       the bot token (Bot page); used only here, never by the worker
 *   DISCORD_GUILD_ID        optional: register in one server only (instant) instead of globally
 *   DISCORD_API_BASE_URL    optional: default https://discord.com/api/v10 (point it at a local sink to try it offline)
 */
import { DiscordRegisterError, registerDiscordCommands } from '../src/chatops/discord-register';

const env = process.env;
try {
  const { url, count } = await registerDiscordCommands({
    applicationId: env.DISCORD_APPLICATION_ID?.trim() ?? '',
    botToken: env.DISCORD_BOT_TOKEN?.trim() ?? '',
    guildId: env.DISCORD_GUILD_ID?.trim() || undefined,
    baseUrl: env.DISCORD_API_BASE_URL?.trim() || undefined,
  });
  console.log(`Registered ${count} command(s) at ${url}`);
} catch (error) {
  console.error(error instanceof DiscordRegisterError ? error.message : error);
  process.exitCode = 1;
}
