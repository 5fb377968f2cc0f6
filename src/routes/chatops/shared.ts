/** What both chat-ops routes share: reading the signed raw body once, with a size bound. */
import type { Context } from 'hono';
import type { AppEnv } from '../../context';
import { ApiError } from '../../lib/api-error';

/** Slash-command forms and interactions are a few KB; anything near this is not from Slack or Discord. */
export const MAX_CHATOPS_BODY_BYTES = 256 * 1024;

/** The raw body, read once: signatures are computed over these exact bytes. */
export async function readSignedBody(c: Context<AppEnv>): Promise<string> {
  const declared = Number(c.req.header('Content-Length') ?? 0);
  if (declared > MAX_CHATOPS_BODY_BYTES) throw tooLarge();
  const body = await c.req.text();
  if (body.length > MAX_CHATOPS_BODY_BYTES) throw tooLarge();
  return body;
}

function tooLarge(): ApiError {
  return new ApiError(413, 'payload_too_large', `the body is larger than ${MAX_CHATOPS_BODY_BYTES} bytes`);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
