/** What both chat-ops routes share: reading the signed raw body once, with a size bound. */
import type { Context } from 'hono';
import type { AppEnv } from '../../context';
import { ApiError } from '../../lib/api-error';
import { readTextAtMost } from '../../lib/read-body';

/** Slash-command forms and interactions are a few KB; anything near this is not from Slack or Discord. */
export const MAX_CHATOPS_BODY_BYTES = 256 * 1024;

/** The raw body, read once: signatures are computed over these exact bytes. */
export async function readSignedBody(c: Context<AppEnv>): Promise<string> {
  const body = await readTextAtMost(c.req.raw, MAX_CHATOPS_BODY_BYTES);
  if (body === null) throw tooLarge();
  return body;
}

function tooLarge(): ApiError {
  return new ApiError(413, 'payload_too_large', `the body is larger than ${MAX_CHATOPS_BODY_BYTES} bytes`);
}
