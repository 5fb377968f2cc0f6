/**
 * Slack request signatures (api.slack.com/authentication/verifying-requests-from-slack): the
 * `X-Slack-Signature` header is `v0=` + hex HMAC-SHA256 of `v0:{X-Slack-Request-Timestamp}:{raw body}`,
 * keyed with the app's signing secret. Compared in constant time; old timestamps are replays.
 */
import { hmacSha256, timingSafeEqualStrings, toHex } from './crypto';

/** Slack: reject a request whose timestamp is more than five minutes from now (replay window). */
export const SLACK_SIGNATURE_TOLERANCE_SECONDS = 300;
const SLACK_SIGNATURE_VERSION = 'v0';

export class SlackSignatureError extends Error {
  override name = 'SlackSignatureError';
}

/**
 * Verifies a request against its raw body; throws SlackSignatureError saying what is wrong (never the
 * secret, never the expected signature).
 */
export async function verifySlackSignature(
  secret: string,
  headers: Headers,
  body: string,
  nowSeconds: number,
  toleranceSeconds = SLACK_SIGNATURE_TOLERANCE_SECONDS,
): Promise<{ timestamp: number }> {
  const signature = headers.get('X-Slack-Signature');
  const timestampText = headers.get('X-Slack-Request-Timestamp');
  if (!signature || !timestampText) {
    throw new SlackSignatureError('missing X-Slack-Signature or X-Slack-Request-Timestamp header');
  }
  if (!/^\d{1,12}$/.test(timestampText)) {
    throw new SlackSignatureError('X-Slack-Request-Timestamp is not a unix time in seconds');
  }
  const timestamp = Number(timestampText);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    throw new SlackSignatureError(`X-Slack-Request-Timestamp is outside the ${toleranceSeconds} s window`);
  }
  const expected = `${SLACK_SIGNATURE_VERSION}=${toHex(
    await hmacSha256(secret, `${SLACK_SIGNATURE_VERSION}:${timestampText}:${body}`),
  )}`;
  if (!(await timingSafeEqualStrings(signature.trim().toLowerCase(), expected))) {
    throw new SlackSignatureError('X-Slack-Signature does not match the body');
  }
  return { timestamp };
}
