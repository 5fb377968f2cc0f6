/**
 * `POST /chatops/discord`: the Discord interactions endpoint. Raw body → Ed25519 signature (any
 * failure is 401: Discord probes with bad signatures and disables endpoints that accept one) → JSON →
 * zod. PING gets PONG; `/webshare …` goes to the command core: KV-only commands answer at once
 * (type 4), Webshare ones are deferred (type 5) and finished by editing the original response.
 */
import * as z from 'zod';
import { OpenAPIHono } from '../../lib/openapi-app';
import { ConfigError, requireSecret } from '../../config';
import type { Context } from 'hono';
import type { AppEnv } from '../../context';
import { ApiError } from '../../lib/api-error';
import {
  DiscordSignatureError,
  isDiscordPublicKey,
  verifyDiscordSignature,
} from '../../lib/discord-signature';
import { literal } from '../../lib/markup';
import { parseJsonBody } from '../../lib/read-body';
import { nowSeconds } from '../../lib/time';
import { validationHook } from '../../lib/validation';
import { discordGuildAllowed, outsideBoundaryReply } from '../../chatops/boundary';
import { parseWords } from '../../chatops/commands';
import type { CommandContext } from '../../chatops/context';
import { planCommand, runCommand } from '../../chatops/core';
import { refuseReplay, requestId } from '../../chatops/replay-guard';
import {
  DISCORD_COMMAND_NAME,
  interactionWords,
  type InteractionOption,
} from '../../chatops/discord-commands';
import { DISCORD_EPHEMERAL_FLAG, renderDiscord } from '../../chatops/render-discord';
import { usageReply, type Reply } from '../../chatops/reply';
import { PUBLIC_SECURITY, errorResponse, signedBodySchema } from '../openapi-common';
import { sendFollowUp } from './follow-up';
import { readSignedBody } from '../../lib/read-body';
import { MAX_CHATOPS_BODY_BYTES } from './shared';

/** discord.com/developers/docs/interactions/receiving-and-responding */
export const INTERACTION_TYPE = { PING: 1, APPLICATION_COMMAND: 2 } as const;
export const CALLBACK_TYPE = {
  PONG: 1,
  CHANNEL_MESSAGE_WITH_SOURCE: 4,
  DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: 5,
} as const;

const OptionSchema: z.ZodType<InteractionOption> = z.object({
  name: z.string().max(32),
  type: z.number().int(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  get options() {
    return z.array(OptionSchema).max(25).optional();
  },
});

const InteractionSchema = z.object({
  type: z.number().int(),
  // Unique per interaction (a snowflake): the replay guard's id for mutating commands.
  id: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
  // Both end up in the follow-up URL path: digits and token characters only.
  application_id: z.string().regex(/^\d{1,20}$/),
  token: z.string().regex(/^[A-Za-z0-9._-]{1,1000}$/),
  data: z.object({ name: z.string(), options: z.array(OptionSchema).max(25).optional() }).optional(),
  // Absent in DMs; DISCORD_ALLOWED_GUILDS refuses those.
  guild_id: z.string().max(32).optional(),
  member: z.object({ user: z.object({ id: z.string().max(32) }) }).optional(),
  user: z.object({ id: z.string().max(32) }).optional(),
});

const InteractionResponseSchema = z
  .object({ type: z.number().int(), data: z.record(z.string(), z.unknown()).optional() })
  .openapi('DiscordInteractionResponse');

// Documented here, validated by hand after the signature: no validator may read the body first.
const discordInteractionDoc = {
  method: 'post' as const,
  path: '/discord',
  tags: ['chat-ops'],
  security: PUBLIC_SECURITY,
  summary: 'Discord interactions endpoint for `/webshare` (Ed25519-signed with the application key)',
  request: {
    headers: z.object({
      'X-Signature-Ed25519': z.string().openapi({ description: 'hex Ed25519 signature of timestamp + body' }),
      'X-Signature-Timestamp': z.string().openapi({ example: '1764340000' }),
    }),
    body: {
      content: {
        'application/json': {
          schema: signedBodySchema('The interaction exactly as Discord sent it'),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'PONG, a message (type 4) or a deferral (type 5)',
      content: { 'application/json': { schema: InteractionResponseSchema } },
    },
    400: errorResponse('Signed, but not an interaction we understand'),
    401: errorResponse('Missing, stale or wrong signature'),
    503: errorResponse('DISCORD_PUBLIC_KEY is not set or not a hex key'),
  },
};

export function discordRoutes(): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  routes.openAPIRegistry.registerPath(discordInteractionDoc);
  routes.post('/discord', interaction);
  return routes;
}

type Interaction = z.output<typeof InteractionSchema>;

async function interaction(c: Context<AppEnv>): Promise<Response> {
  const config = c.get('config');
  const log = c.get('log');
  const { body, interaction } = await verifiedInteraction(c);
  if (interaction.type === INTERACTION_TYPE.PING) return c.json({ type: CALLBACK_TYPE.PONG }, 200);
  const userId = interaction.member?.user.id ?? interaction.user?.id;
  if (interaction.type !== INTERACTION_TYPE.APPLICATION_COMMAND || !interaction.data || !userId) {
    throw new ApiError(400, 'unsupported_interaction', `interaction type ${interaction.type} is not handled`);
  }
  const message = (data: ReturnType<typeof renderDiscord>) =>
    c.json({ type: CALLBACK_TYPE.CHANNEL_MESSAGE_WITH_SOURCE, data }, 200);
  // Signed is not enough: the app may be used in a server that is not ours, or in a DM.
  if (!discordGuildAllowed(config, interaction.guild_id)) {
    log.warn('chat-ops: refusing an interaction from outside DISCORD_ALLOWED_GUILDS', {
      guild: interaction.guild_id ?? '(direct message)',
    });
    return message(renderDiscord(outsideBoundaryReply()));
  }
  if (interaction.data.name !== DISCORD_COMMAND_NAME) {
    return message(renderDiscord(usageReply(`Unknown command ${literal(`/${interaction.data.name}`)}.`, [])));
  }

  const { words, inChannel } = interactionWords(interaction.data.options);
  const actor = { platform: 'discord' as const, userId };
  const plan = planCommand(parseWords(words, inChannel), actor, config);
  if (plan.kind === 'reply') return message(renderDiscord(plan.reply));

  const ctx: CommandContext = {
    env: c.env,
    config,
    log: log.child({ chatops: 'discord' }),
    nowMs: Date.now(),
    actor,
  };
  log.info('chat-ops command', { platform: 'discord', user: userId, command: plan.command.kind });
  // A verbatim copy passes the signature check for 5 minutes: mutating commands run once per id.
  const refusal = await refuseReplay(plan.command, () => requestId(interaction.id, body), ctx);
  if (refusal) return message(renderDiscord(refusal));
  if (!plan.slow) return message(renderDiscord(await runCommand(plan.command, plan.ephemeral, ctx)));
  return answerLater(
    c,
    interaction,
    () => runCommand(plan.command, plan.ephemeral, ctx),
    plan.ephemeral,
    ctx,
  );
}

/** The raw body and the interaction, once the Ed25519 signature over those exact bytes checks out. */
async function verifiedInteraction(c: Context<AppEnv>): Promise<{ body: string; interaction: Interaction }> {
  const publicKey = requireSecret(c.get('config').discord.publicKey, 'DISCORD_PUBLIC_KEY');
  if (!isDiscordPublicKey(publicKey)) {
    throw new ConfigError('DISCORD_PUBLIC_KEY', 'DISCORD_PUBLIC_KEY is not a 32-byte hex key');
  }
  const body = await readSignedBody(c.req.raw, MAX_CHATOPS_BODY_BYTES);
  try {
    await verifyDiscordSignature(publicKey, c.req.raw.headers, body, nowSeconds());
  } catch (error) {
    if (error instanceof DiscordSignatureError) throw new ApiError(401, 'invalid_signature', error.message);
    throw error;
  }
  const parsed = InteractionSchema.safeParse(parseJsonBody(body));
  if (!parsed.success) {
    throw new ApiError(400, 'invalid_request', 'not a Discord interaction', {
      details: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    });
  }
  return { body, interaction: parsed.data };
}

/** Defers (type 5) at once and edits the deferred message with the answer when it is ready. */
function answerLater(
  c: Context<AppEnv>,
  interaction: Interaction,
  run: () => Promise<Reply>,
  ephemeral: boolean,
  ctx: CommandContext,
): Response {
  // The follow-up edits the deferred message; the interaction token authorises it (no bot token).
  const base = ctx.config.discord.apiBaseUrl;
  const url = `${base}/webhooks/${interaction.application_id}/${interaction.token}/messages/@original`;
  c.executionCtx.waitUntil(
    (async () => {
      const reply = await run();
      // Flags cannot change on an edit: visibility was fixed when the deferral was sent.
      const { flags: _flags, ...edit } = renderDiscord(reply);
      await sendFollowUp(url, 'PATCH', edit, ctx.log);
    })(),
  );
  const data = ephemeral ? { flags: DISCORD_EPHEMERAL_FLAG } : {};
  return c.json({ type: CALLBACK_TYPE.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, data }, 200);
}
