/**
 * `POST /chatops/slack`: the `/webshare` slash command. Raw body → Slack signature (constant time,
 * 5-minute window) → form → zod → the command core. KV-only commands answer inline; commands that
 * call Webshare are acknowledged at once (Slack's deadline is 3 s) and answered via response_url
 * from waitUntil.
 */
import * as z from 'zod';
import { OpenAPIHono } from '../../lib/openapi-app';
import type { Context } from 'hono';
import type { AppEnv } from '../../context';
import { ApiError } from '../../lib/api-error';
import { validationHook } from '../../lib/validation';
import { parseText } from '../../chatops/commands';
import type { CommandContext } from '../../chatops/context';
import { planCommand, runCommand } from '../../chatops/core';
import { refuseReplay, requestId } from '../../chatops/replay-guard';
import { renderSlack, slackAck } from '../../chatops/render-slack';
import { errorReply, type Reply } from '../../chatops/reply';
import { allowedSlackResponseUrl, chatopsSettings } from '../../chatops/settings';
import { PUBLIC_SECURITY, errorResponse } from '../openapi-common';
import { sendFollowUp } from './follow-up';
import {
  outsideTeamsResponse,
  signedSlackFormRequest,
  SLACK_VERIFICATION_ERRORS,
  verifiedSlackForm,
} from './slack-verify';

export const SLACK_ACK_TEXT = 'Working on it…';

/** The slash-command fields we read (api.slack.com/interactivity/slash-commands#app_command_handling). */
const SlashCommandSchema = z.object({
  command: z.string().max(64),
  text: z.string().max(4000).default(''),
  user_id: z.string().min(1).max(64),
  team_id: z.string().max(64).optional(),
  // Set for Enterprise Grid installs; SLACK_ALLOWED_TEAMS may list the organisation instead.
  enterprise_id: z.string().max(64).optional(),
  channel_id: z.string().max(64).optional(),
  response_url: z.string().max(2048),
  // Unique per invocation: the replay guard's id for mutating commands.
  trigger_id: z.string().max(1024).optional(),
});

const SlackResponseSchema = z
  .object({
    response_type: z.enum(['ephemeral', 'in_channel']),
    text: z.string(),
    blocks: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .openapi('SlackCommandResponse');

const slackCommandDoc = {
  method: 'post' as const,
  path: '/slack',
  tags: ['chat-ops'],
  security: PUBLIC_SECURITY,
  summary: 'Slack slash command `/webshare` (signed with SLACK_SIGNING_SECRET)',
  request: signedSlackFormRequest(
    'The slash-command form exactly as Slack sent it (command, text, user_id, response_url, …)',
  ),
  responses: {
    200: {
      description: 'The answer (inline) or an acknowledgement; an empty body for ssl_check and retries',
      content: { 'application/json': { schema: SlackResponseSchema } },
    },
    400: errorResponse('Signed, but not a slash-command form'),
    ...SLACK_VERIFICATION_ERRORS,
  },
};

export function slackRoutes(): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  routes.openAPIRegistry.registerPath(slackCommandDoc);
  routes.post('/slack', slashCommand);
  return routes;
}

type SlashCommand = z.output<typeof SlashCommandSchema>;

async function slashCommand(c: Context<AppEnv>): Promise<Response> {
  const config = c.get('config');
  const log = c.get('log');
  const { body, form } = await verifiedSlackForm(c);
  // Slack checks the certificate of a new Request URL with a signed ssl_check=1; it wants a 200.
  if (form.get('ssl_check') === '1') return c.body(null, 200);
  // A retry means Slack did not see our first answer in time. That answer (or its deferred work)
  // is already under way, so running the command again could refresh or delete twice: ignore it.
  const retry = c.req.header('X-Slack-Retry-Num');
  if (retry !== undefined) {
    log.info('chat-ops: ignoring a Slack retry', { retry, reason: c.req.header('X-Slack-Retry-Reason') });
    return c.body(null, 200);
  }
  const payload = slashCommandOf(form);
  const outside = outsideTeamsResponse(c, { teamId: payload.team_id, enterpriseId: payload.enterprise_id });
  if (outside) return outside;
  const actor = { platform: 'slack' as const, userId: payload.user_id };
  const plan = planCommand(parseText(payload.text), actor, config);
  if (plan.kind === 'reply') return c.json(renderSlack(plan.reply), 200);

  const ctx: CommandContext = {
    env: c.env,
    config,
    log: log.child({ chatops: 'slack' }),
    nowMs: Date.now(),
    actor,
  };
  log.info('chat-ops command', { platform: 'slack', user: actor.userId, command: plan.command.kind });
  // A verbatim copy passes the signature check for 5 minutes; the retry header check above does
  // not catch one sent without it. Mutating commands run once per trigger_id.
  const refusal = await refuseReplay(plan.command, () => requestId(payload.trigger_id, body), ctx);
  if (refusal) return c.json(renderSlack(refusal), 200);
  if (!plan.slow) return c.json(renderSlack(await runCommand(plan.command, plan.ephemeral, ctx)), 200);
  return answerLater(c, payload, () => runCommand(plan.command, plan.ephemeral, ctx), ctx);
}

function slashCommandOf(form: URLSearchParams): SlashCommand {
  const parsed = SlashCommandSchema.safeParse(Object.fromEntries(form));
  if (parsed.success) return parsed.data;
  throw new ApiError(400, 'invalid_request', 'not a Slack slash-command form', {
    details: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
  });
}

/** Acknowledges at once and posts the answer to Slack's response_url when it is ready. */
function answerLater(
  c: Context<AppEnv>,
  payload: SlashCommand,
  run: () => Promise<Reply>,
  ctx: CommandContext,
): Response {
  const responseUrl = allowedSlackResponseUrl(
    payload.response_url,
    chatopsSettings(c.env).slackResponseUrlHosts,
  );
  if (!responseUrl) {
    ctx.log.warn('chat-ops: refusing a response_url outside the allowed hosts', {
      host: hostOf(payload.response_url),
    });
    const refusal = errorReply('Cannot answer this command', [
      'Its response_url is not a Slack URL, so nothing was run.',
    ]);
    return c.json(renderSlack(refusal), 200);
  }
  c.executionCtx.waitUntil(
    (async () => {
      const reply = await run();
      // replace_original false: the acknowledgement stays; the answer is a new message.
      const message = { ...renderSlack(reply), replace_original: false };
      await sendFollowUp(responseUrl.toString(), 'POST', message, ctx.log);
    })(),
  );
  return c.json(slackAck(SLACK_ACK_TEXT), 200);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(not a URL)';
  }
}
