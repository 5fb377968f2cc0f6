import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { USAGE, parseWords, type CommandKind } from '../../src/chatops/commands';
import {
  DISCORD_COMMANDS,
  OPTION_TYPE,
  interactionWords,
  type CommandOption,
  type InteractionOption,
} from '../../src/chatops/discord-commands';
import { DiscordRegisterError, registerDiscordCommands } from '../../src/chatops/discord-register';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { DISCORD_API, DISCORD_APP_ID } from './helpers';

const BOT_TOKEN = 'bot-token-MTIzNDU2Nzg5MDEyMzQ1Njc4.test';

/** Every leaf subcommand with its path, e.g. ['subuser', 'create']. */
function leaves(
  options: CommandOption[],
  path: string[] = [],
): { path: string[]; options: CommandOption[] }[] {
  return options.flatMap((o) => {
    if (o.type === OPTION_TYPE.SUB_COMMAND_GROUP) return leaves(o.options ?? [], [...path, o.name]);
    if (o.type === OPTION_TYPE.SUB_COMMAND) return [{ path: [...path, o.name], options: o.options ?? [] }];
    return [];
  });
}

const SAMPLE: Record<string, string | number | boolean> = {
  subuser: '42',
  ip: '203.0.113.7',
  label: 'customer-1',
  limit_gb: 10,
  threads: 5,
  id: 42,
  alert: 'bandwidth',
  duration: '2h',
  confirm: true,
  in_channel: true,
};

/** The interaction options Discord sends for a leaf with every option filled. */
function filled(path: string[], options: CommandOption[]): InteractionOption[] {
  let nested: InteractionOption[] = options.map((o) => ({
    name: o.name,
    type: o.type,
    value: SAMPLE[o.name],
  }));
  for (let i = path.length - 1; i >= 0; i--) {
    nested = [{ name: path[i]!, type: i === path.length - 1 ? 1 : 2, options: nested }];
  }
  return nested;
}

describe('the /webshare command definitions', () => {
  const [command] = DISCORD_COMMANDS;
  const all = leaves(command!.options);

  it('follow Discord’s naming and size rules', () => {
    const check = (o: { name: string; description: string; options?: CommandOption[] }) => {
      expect(o.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(o.description.length).toBeGreaterThan(0);
      expect(o.description.length).toBeLessThanOrEqual(100);
      const options = o.options ?? [];
      expect(options.length).toBeLessThanOrEqual(25);
      // Discord rejects a required option after an optional one.
      const firstOptional = options.findIndex((x) => !x.required);
      if (firstOptional >= 0) expect(options.slice(firstOptional).some((x) => x.required)).toBe(false);
      options.forEach(check);
    };
    DISCORD_COMMANDS.forEach(check);
  });

  it('reach every command of the core', () => {
    const kinds = new Set<CommandKind>();
    for (const leaf of all) {
      const { words, inChannel } = interactionWords(filled(leaf.path, leaf.options));
      const parsed = parseWords(words, inChannel);
      expect(parsed, `${leaf.path.join(' ')} → ${words.join(' ')}`).toMatchObject({ ok: true });
      if (parsed.ok) kinds.add(parsed.command.kind);
    }
    expect([...kinds].sort()).toEqual(Object.keys(USAGE).sort());
  });

  it('turn options into the core’s words in declared order, whatever order they arrive in', () => {
    const options: InteractionOption[] = [
      {
        name: 'subuser',
        type: 2,
        options: [
          {
            name: 'create',
            type: 1,
            options: [
              { name: 'threads', type: 4, value: 8 },
              { name: 'limit_gb', type: 10, value: 1.5 },
              { name: 'label', type: 3, value: 'Acme Corp' },
            ],
          },
        ],
      },
    ];
    expect(interactionWords(options)).toEqual({
      words: ['subuser', 'create', 'Acme Corp', '1.5', '8'],
      inChannel: false,
    });
  });

  it('drops confirm: false and in_channel: false', () => {
    const options: InteractionOption[] = [
      {
        name: 'subuser',
        type: 2,
        options: [
          {
            name: 'delete',
            type: 1,
            options: [
              { name: 'id', type: 4, value: 9 },
              { name: 'confirm', type: 5, value: false },
              { name: 'in_channel', type: 5, value: false },
            ],
          },
        ],
      },
    ];
    expect(interactionWords(options)).toEqual({ words: ['subuser', 'delete', '9'], inChannel: false });
  });
});

describe('registerDiscordCommands (npm run discord:register)', () => {
  it('PUTs every definition to the application-commands endpoint with the bot token', async () => {
    const sink = new RecordingSink().respondWith({ status: 200, body: JSON.stringify([{ id: '1' }]) });
    routeOutbound({ 'discord.test': sink.fetch });
    const result = await registerDiscordCommands({
      applicationId: DISCORD_APP_ID,
      botToken: BOT_TOKEN,
      baseUrl: DISCORD_API,
    });
    expect(result).toEqual({ url: `${DISCORD_API}/applications/${DISCORD_APP_ID}/commands`, count: 1 });
    expect(sink.requests).toHaveLength(1);
    expect(sink.requests[0]).toMatchObject({ method: 'PUT', url: result.url });
    expect(sink.requests[0]!.headers.authorization).toBe(`Bot ${BOT_TOKEN}`);
    expect(sink.requests[0]!.headers['content-type']).toBe('application/json');
    expect(sink.json(0)).toEqual(DISCORD_COMMANDS);
  });

  it('registers the command for server installs only: no DMs, no user installs', async () => {
    const sink = new RecordingSink();
    routeOutbound({ 'discord.test': sink.fetch });
    await registerDiscordCommands({
      applicationId: DISCORD_APP_ID,
      botToken: BOT_TOKEN,
      baseUrl: DISCORD_API,
    });
    const [command] = sink.json(0) as Record<string, unknown>[];
    // 0 = GUILD context, 0 = GUILD_INSTALL integration type (Discord's enums).
    expect(command).toMatchObject({ contexts: [0], integration_types: [0], dm_permission: false });
  });

  it.each(['http://discord.example/api/v10', 'ftp://discord.test/api'])(
    'refuses to send the bot token to %s, naming DISCORD_API_BASE_URL',
    async (baseUrl) => {
      const sink = new RecordingSink();
      routeOutbound({ 'discord.test': sink.fetch });
      await expect(
        registerDiscordCommands({ applicationId: DISCORD_APP_ID, botToken: BOT_TOKEN, baseUrl }),
      ).rejects.toThrow('DISCORD_API_BASE_URL');
      expect(sink.requests).toHaveLength(0);
    },
  );

  it('registers to one server when given a guild id', async () => {
    const sink = new RecordingSink();
    routeOutbound({ 'discord.test': sink.fetch });
    await registerDiscordCommands({
      applicationId: DISCORD_APP_ID,
      botToken: BOT_TOKEN,
      baseUrl: `${DISCORD_API}/`,
      guildId: '500000000000000005',
    });
    expect(sink.requests[0]!.url).toBe(
      `${DISCORD_API}/applications/${DISCORD_APP_ID}/guilds/500000000000000005/commands`,
    );
  });

  it('reports Discord’s error without the token', async () => {
    const sink = new RecordingSink().respondWith({
      status: 400,
      body: '{"message":"Invalid Form Body","code":50035}',
    });
    routeOutbound({ 'discord.test': sink.fetch });
    const error = await registerDiscordCommands({
      applicationId: DISCORD_APP_ID,
      botToken: BOT_TOKEN,
      baseUrl: DISCORD_API,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordRegisterError);
    expect((error as Error).message).toContain('400');
    expect((error as Error).message).toContain('Invalid Form Body');
    expect((error as Error).message).not.toContain(BOT_TOKEN);
  });

  it.each([
    [{ applicationId: 'my-app', botToken: BOT_TOKEN }, 'DISCORD_APPLICATION_ID'],
    [{ applicationId: DISCORD_APP_ID, botToken: '' }, 'DISCORD_BOT_TOKEN'],
    [{ applicationId: DISCORD_APP_ID, botToken: BOT_TOKEN, guildId: 'x' }, 'DISCORD_GUILD_ID'],
  ])('refuses bad settings before sending anything (%j)', async (options, variable) => {
    const sink = new RecordingSink();
    routeOutbound({ 'discord.test': sink.fetch });
    await expect(registerDiscordCommands({ ...options, baseUrl: DISCORD_API })).rejects.toThrow(variable);
    expect(sink.requests).toHaveLength(0);
  });
});

describe('the chat-ops routes in /openapi.json', () => {
  it('are documented under the chat-ops tag, without the admin bearer token', async () => {
    const response = await createApp().request('https://worker.test/openapi.json', {}, env);
    const doc = (await response.json()) as { paths: Record<string, Record<string, any>> };
    for (const path of ['/chatops/slack', '/chatops/discord']) {
      const operation = doc.paths[path]?.post;
      expect(operation?.tags, path).toEqual(['chat-ops']);
      expect(operation?.security, path).toEqual([]);
      expect(Object.keys(operation?.responses ?? {}), path).toEqual(expect.arrayContaining(['200', '401']));
    }
  });
});
