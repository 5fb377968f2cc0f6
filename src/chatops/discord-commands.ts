/**
 * The Discord application command `/webshare`, with one subcommand per chat-ops command (and a
 * `subuser` group for create/delete). Shared by `npm run discord:register`, which uploads it, by the
 * interaction route, which turns a chosen subcommand back into the core's words, and by the tests.
 */
import { SUBUSER_LABEL_MAX_LENGTH } from '../webshare/types';

/** discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-type */
export const OPTION_TYPE = {
  SUB_COMMAND: 1,
  SUB_COMMAND_GROUP: 2,
  STRING: 3,
  INTEGER: 4,
  BOOLEAN: 5,
  NUMBER: 10,
} as const;

/** CHAT_INPUT: a slash command. */
const CHAT_INPUT = 1;
export const DISCORD_COMMAND_NAME = 'webshare';

export interface CommandOption {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  min_value?: number;
  max_value?: number;
  max_length?: number;
  options?: CommandOption[];
}

/** discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-interaction-context-types */
export const INTERACTION_CONTEXT = { GUILD: 0, BOT_DM: 1, PRIVATE_CHANNEL: 2 } as const;
/** discord.com/developers/docs/resources/application#application-object-application-integration-types */
export const INTEGRATION_TYPE = { GUILD_INSTALL: 0, USER_INSTALL: 1 } as const;

export interface ApplicationCommand {
  type: typeof CHAT_INPUT;
  name: string;
  description: string;
  /** Where the command may be used: servers only, never DMs or group DMs. */
  contexts: number[];
  /** How the app may be installed for the command to show: to a server, not to a user. */
  integration_types: number[];
  /** The older (deprecated) form of `contexts`, for clients that still read it. */
  dm_permission: false;
  options: CommandOption[];
}

const inChannel: CommandOption = {
  type: OPTION_TYPE.BOOLEAN,
  name: 'in_channel',
  description: 'Post the answer to the channel instead of only to you',
};
const confirm = (what: string): CommandOption => ({
  type: OPTION_TYPE.BOOLEAN,
  name: 'confirm',
  description: `Set to true to really ${what}; without it you get a confirmation prompt`,
});
const authorizedIp: CommandOption = {
  type: OPTION_TYPE.STRING,
  name: 'ip',
  description: 'One IPv4 or IPv6 address (no CIDR range)',
  required: true,
  max_length: 64,
};
const sub = (name: string, description: string, options: CommandOption[] = []): CommandOption => ({
  type: OPTION_TYPE.SUB_COMMAND,
  name,
  description,
  options,
});

export const DISCORD_COMMANDS: ApplicationCommand[] = [
  {
    type: CHAT_INPUT,
    name: DISCORD_COMMAND_NAME,
    description: 'Run the Webshare proxy account',
    // Guild installs only: a user install would carry the command into DMs and any server the user
    // joins, outside DISCORD_ALLOWED_GUILDS. The route refuses those anyway; this keeps them hidden.
    contexts: [INTERACTION_CONTEXT.GUILD],
    integration_types: [INTEGRATION_TYPE.GUILD_INSTALL],
    dm_permission: false,
    options: [
      sub('status', 'Bandwidth, projection, invalid proxies, quotas and firing alerts', [inChannel]),
      sub('usage', 'One sub-user’s bandwidth and requests', [
        { type: OPTION_TYPE.STRING, name: 'subuser', description: 'Sub-user id or label', required: true },
        inChannel,
      ]),
      sub('refresh', 'Refresh the whole proxy list (uses an on-demand refresh)', [
        confirm('use an on-demand refresh'),
        inChannel,
      ]),
      sub('replace', 'Replace one proxy (or every proxy in a CIDR range)', [
        {
          type: OPTION_TYPE.STRING,
          name: 'ip',
          description: 'Proxy IP address or CIDR range',
          required: true,
        },
        inChannel,
      ]),
      sub('subusers', 'Every sub-user with its usage', [inChannel]),
      {
        type: OPTION_TYPE.SUB_COMMAND_GROUP,
        name: 'subuser',
        description: 'Create or delete a sub-user',
        options: [
          // No in_channel: the reply holds the new proxy password, so it is always private.
          sub('create', 'Create a sub-user (the password is shown only to you)', [
            {
              type: OPTION_TYPE.STRING,
              name: 'label',
              description: 'Label, e.g. customer-1042',
              required: true,
              max_length: SUBUSER_LABEL_MAX_LENGTH,
            },
            {
              type: OPTION_TYPE.NUMBER,
              name: 'limit_gb',
              description: 'Bandwidth limit in GB; 0 means unlimited',
              required: true,
              min_value: 0,
            },
            {
              type: OPTION_TYPE.INTEGER,
              name: 'threads',
              description: 'Maximum concurrent requests',
              min_value: 1,
            },
          ]),
          sub('delete', 'Delete a sub-user', [
            {
              type: OPTION_TYPE.INTEGER,
              name: 'id',
              description: 'Sub-user id',
              required: true,
              min_value: 1,
            },
            confirm('delete it'),
            inChannel,
          ]),
        ],
      },
      sub('alerts', 'Firing and pending alerts, and active silences', [inChannel]),
      sub('silence', 'Mute an alert for a while', [
        {
          type: OPTION_TYPE.STRING,
          name: 'alert',
          description: 'Alert key, e.g. bandwidth or subuser:42',
          required: true,
        },
        {
          type: OPTION_TYPE.STRING,
          name: 'duration',
          description: '30m, 2h, 1d … up to 30d',
          required: true,
        },
        inChannel,
      ]),
      {
        type: OPTION_TYPE.SUB_COMMAND_GROUP,
        name: 'authorize-ip',
        description: 'Let one IP use the proxies without a password, or stop it',
        options: [
          sub('add', 'Authorise an IP address (asks to confirm)', [
            authorizedIp,
            confirm('authorise it'),
            inChannel,
          ]),
          sub('remove', 'Stop authorising an IP address (asks to confirm)', [
            authorizedIp,
            confirm('remove it'),
            inChannel,
          ]),
        ],
      },
      // No in_channel: the reply is about the proxy password, so it is always private.
      sub('reset-password', 'Set a new proxy password (never shown in chat)', [
        confirm('reset the password'),
      ]),
      sub('help', 'What each command does'),
    ],
  },
];

/** An option as it arrives in an interaction: a subcommand (with options) or a value. */
export interface InteractionOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: InteractionOption[];
}

/**
 * The core's words for a chosen subcommand: the subcommand path, then each value in the order the
 * definition declares its options; `confirm: true` becomes the word `confirm`. `in_channel` is
 * returned apart, so a label that happens to be "public" stays a label.
 */
export function interactionWords(options: readonly InteractionOption[] = []): {
  words: string[];
  inChannel: boolean;
} {
  const words: string[] = [];
  let definitions: CommandOption[] = DISCORD_COMMANDS[0]?.options ?? [];
  let given = options;
  for (;;) {
    const [first] = given;
    if (
      given.length !== 1 ||
      !first ||
      (first.type !== OPTION_TYPE.SUB_COMMAND && first.type !== OPTION_TYPE.SUB_COMMAND_GROUP)
    )
      break;
    words.push(first.name);
    definitions = definitions.find((d) => d.name === first.name)?.options ?? [];
    given = first.options ?? [];
  }
  const values = new Map(given.map((o) => [o.name, o.value]));
  let inChannelValue = false;
  for (const definition of definitions) {
    const value = values.get(definition.name);
    if (value === undefined) continue;
    if (definition.name === 'in_channel') inChannelValue = value === true;
    else if (definition.name === 'confirm') {
      if (value === true) words.push('confirm');
    } else words.push(String(value));
  }
  return { words, inChannel: inChannelValue };
}
