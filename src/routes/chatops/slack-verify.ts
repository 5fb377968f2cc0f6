/**
 * What every Slack request to chat-ops goes through before it is read: the slash command
 * (`POST /chatops/slack`) and button clicks (`POST /chatops/slack/interactions`). The raw body is
 * read once and its v0 signature checked (constant time, 5-minute window; any failure is 401);
 * then the workspace boundary (SLACK_ALLOWED_TEAMS), which answers 200 with one fixed sentence.
 */
import * as z from 'zod';
import type { Context } from 'hono';
import { requireSecret } from '../../config';
import type { AppEnv } from '../../context';
import { ApiError, envelope } from '../../lib/api-error';
import { readSignedBody } from '../../lib/read-body';
import { SlackSignatureError, verifySlackSignature } from '../../lib/slack-signature';
import { nowSeconds } from '../../lib/time';
import { outsideBoundaryReply, slackTeamAllowed } from '../../chatops/boundary';
import { renderSlack } from '../../chatops/render-slack';
import { errorResponse, signedBodySchema } from '../openapi-common';
import { MAX_CHATOPS_BODY_BYTES } from './shared';

/**
 * The OpenAPI request of a signed Slack form: the two signature headers and the raw form, documented
 * but validated by hand (the signature covers the exact raw bytes, so no validator may read and
 * re-serialise the body before it is verified).
 */
export function signedSlackFormRequest(description: string) {
  return {
    headers: z.object({
      'X-Slack-Signature': z
        .string()
        .openapi({ example: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503' }),
      'X-Slack-Request-Timestamp': z.string().openapi({ example: '1531420618' }),
    }),
    body: {
      content: { 'application/x-www-form-urlencoded': { schema: signedBodySchema(description) } },
    },
  };
}

/** What every signed Slack route answers before it reads the request. */
export const SLACK_VERIFICATION_ERRORS = {
  401: errorResponse('Missing, stale or wrong signature'),
  503: errorResponse('SLACK_SIGNING_SECRET is not set'),
};

/** The raw body and its form, once the Slack signature over those exact bytes checks out. */
export async function verifiedSlackForm(
  c: Context<AppEnv>,
): Promise<{ body: string; form: URLSearchParams }> {
  const secret = requireSecret(c.get('config').slack.signingSecret, 'SLACK_SIGNING_SECRET');
  const body = await readSignedBody(c.req.raw, MAX_CHATOPS_BODY_BYTES);
  try {
    await verifySlackSignature(secret, c.req.raw.headers, body, nowSeconds());
  } catch (error) {
    if (error instanceof SlackSignatureError) throw new ApiError(401, 'invalid_signature', error.message);
    throw error;
  }
  return { body, form: new URLSearchParams(body) };
}

/**
 * The refusal for a request from a workspace outside SLACK_ALLOWED_TEAMS, or undefined when it may
 * go on. Signed is not enough: the app may be installed in a workspace that is not ours.
 */
export function outsideTeamsResponse(
  c: Context<AppEnv>,
  request: { teamId: string | undefined; enterpriseId: string | undefined },
  refusal: 'reply' | 'forbidden' = 'reply',
): Response | undefined {
  if (slackTeamAllowed(c.get('config'), request)) return undefined;
  c.get('log').warn('chat-ops: refusing a request from a workspace outside SLACK_ALLOWED_TEAMS', {
    team: request.teamId,
    enterprise: request.enterpriseId,
  });
  // A slash command's answer is shown to whoever typed it; a button click's 403 is shown to nobody.
  if (refusal === 'forbidden') {
    return c.json(envelope('forbidden', 'this Slack workspace is not in SLACK_ALLOWED_TEAMS'), 403);
  }
  return c.json(renderSlack(outsideBoundaryReply()), 200);
}
