/**
 * `POST /chatops/slack/interactions`: the Slack app's Interactivity Request URL, where Slack posts a
 * click on an alert message's buttons (`block_actions`, form-encoded `payload=<json>`). Verified
 * exactly as the slash command is (slack-verify.ts: signature, 5-minute window, SLACK_ALLOWED_TEAMS);
 * then the allow-list, once per click, the silence (chatops/slack-alert-actions.ts). Slack wants an
 * answer within 3 s and ignores its body for a click, so the route answers 200 at once and speaks
 * through response_url from waitUntil: the message's buttons replaced by who silenced it, or an
 * ephemeral refusal for the one who clicked.
 */
import * as z from 'zod';
import type { Context } from 'hono';
import { OpenAPIHono } from '../../lib/openapi-app';
import type { AppEnv } from '../../context';
import { ApiError } from '../../lib/api-error';
import { parseJsonBody } from '../../lib/read-body';
import { validationHook } from '../../lib/validation';
import type { CommandContext } from '../../chatops/context';
import { renderSlack } from '../../chatops/render-slack';
import type { Reply } from '../../chatops/reply';
import { allowedSlackResponseUrl, chatopsSettings } from '../../chatops/settings';
import {
  isSilenceAction,
  parseAlertActionValue,
  silencedMessage,
  silenceFromClick,
} from '../../chatops/slack-alert-actions';
import { PUBLIC_SECURITY, errorResponse } from '../openapi-common';
import { sendFollowUp } from './follow-up';
import {
  outsideTeamsResponse,
  signedSlackFormRequest,
  SLACK_VERIFICATION_ERRORS,
  verifiedSlackForm,
} from './slack-verify';

/** The block_actions fields we read (api.slack.com/reference/interaction-payloads/block-actions-payload). */
const BlockActionsSchema = z.object({
  type: z.string().max(64),
  // Letters and digits only: the id goes into the `<@U…>` mention of the replacement message.
  user: z.object({ id: z.string().regex(/^[A-Za-z0-9]{1,64}$/), team_id: z.string().max(64).optional() }),
  // Null for an org-wide Enterprise Grid install; SLACK_ALLOWED_TEAMS may list the organisation.
  team: z.object({ id: z.string().max(64) }).nullish(),
  enterprise: z.object({ id: z.string().max(64) }).nullish(),
  trigger_id: z.string().max(1024).optional(),
  response_url: z.string().max(2048),
  message: z
    .object({
      text: z.string().max(40_000).optional(),
      blocks: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
    })
    .optional(),
  actions: z
    .array(
      z.object({
        action_id: z.string().max(255),
        block_id: z.string().max(255).optional(),
        value: z.string().max(2000).optional(),
        action_ts: z.string().max(64),
      }),
    )
    .min(1)
    .max(25),
});

type BlockActions = z.output<typeof BlockActionsSchema>;

const slackInteractionsDoc = {
  method: 'post' as const,
  path: '/slack/interactions',
  tags: ['chat-ops'],
  security: PUBLIC_SECURITY,
  summary: 'Slack interactivity: a click on an alert message button (signed with SLACK_SIGNING_SECRET)',
  request: signedSlackFormRequest('`payload=<block_actions JSON>` exactly as Slack sent it'),
  responses: {
    200: {
      description: 'Received (empty body); the answer goes to response_url',
    },
    400: errorResponse('Signed, but not a block_actions payload we drew'),
    403: errorResponse('A workspace outside SLACK_ALLOWED_TEAMS'),
    ...SLACK_VERIFICATION_ERRORS,
  },
};

export function slackInteractionRoutes(): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  routes.openAPIRegistry.registerPath(slackInteractionsDoc);
  routes.post('/slack/interactions', interaction);
  return routes;
}

async function interaction(c: Context<AppEnv>): Promise<Response> {
  const { form } = await verifiedSlackForm(c);
  const payload = blockActionsOf(form);
  const outside = outsideTeamsResponse(
    c,
    {
      // `team` is null for an org-wide install; the user's own workspace is then the one that clicked.
      teamId: payload.team?.id ?? payload.user.team_id,
      enterpriseId: payload.enterprise?.id,
    },
    'forbidden',
  );
  if (outside) return outside;
  // One button per click; the dashboard link's click (Slack posts those too) changes nothing.
  const action = payload.actions[0]!;
  if (!isSilenceAction(action.action_id)) return c.body(null, 200);
  const alert = parseAlertActionValue(action.value);
  if (!alert) throw new ApiError(400, 'invalid_request', 'the button value does not name an alert');
  const responseUrl = allowedSlackResponseUrl(
    payload.response_url,
    chatopsSettings(c.env).slackResponseUrlHosts,
  );
  if (!responseUrl) {
    // Nothing could tell the user what happened, so nothing happens (see chatops/settings.ts).
    throw new ApiError(400, 'invalid_request', 'response_url is not a Slack URL; nothing was silenced');
  }

  const ctx: CommandContext = {
    env: c.env,
    config: c.get('config'),
    log: c.get('log').child({ chatops: 'slack' }),
    nowMs: Date.now(),
    actor: { platform: 'slack', userId: payload.user.id },
  };
  ctx.log.info('chat-ops click', { user: payload.user.id, action: action.action_id, alert: alert.key });
  const outcome = await silenceFromClick(ctx, {
    action: action.action_id,
    alert,
    clickId: payload.trigger_id ?? action.action_ts,
  });
  if (outcome.kind === 'already_handled') return c.body(null, 200);
  const message =
    outcome.kind === 'refused' ? ephemeral(outcome.reply) : silencedMessage(payload.message, outcome.line);
  c.executionCtx.waitUntil(sendFollowUp(responseUrl.toString(), 'POST', message, ctx.log));
  return c.body(null, 200);
}

/** Only the user who clicked sees it; the alert message stays as it is. */
function ephemeral(reply: Reply) {
  return { ...renderSlack({ ...reply, ephemeral: true }), replace_original: false };
}

function blockActionsOf(form: URLSearchParams): BlockActions {
  const raw = form.get('payload');
  if (raw === null) throw new ApiError(400, 'invalid_request', 'no payload field in the form');
  const parsed = BlockActionsSchema.safeParse(parseJsonBody(raw));
  if (!parsed.success) {
    throw new ApiError(400, 'invalid_request', 'not a Slack block_actions payload', {
      details: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    });
  }
  if (parsed.data.type !== 'block_actions') {
    throw new ApiError(400, 'unsupported_interaction', `interaction type ${parsed.data.type} is not handled`);
  }
  return parsed.data;
}
