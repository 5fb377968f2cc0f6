/**
 * Discord interaction signatures (discord.com/developers/docs/interactions/overview): the
 * `X-Signature-Ed25519` header is the hex Ed25519 signature of `X-Signature-Timestamp` + raw body,
 * made with the application's key; `DISCORD_PUBLIC_KEY` is its public half, hex. Verified with
 * `crypto.subtle` using the standard WebCrypto name 'Ed25519', which workerd supports (so does the
 * legacy 'NODE-ED25519'; the standard one is used).
 */
import { fromHex, utf8 } from './crypto';

/**
 * Discord does not document a replay window; five minutes (as Slack) bounds replays of a captured
 * interaction while leaving room for clock skew.
 */
export const DISCORD_SIGNATURE_TOLERANCE_SECONDS = 300;
const ED25519_PUBLIC_KEY_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;

export class DiscordSignatureError extends Error {
  override name = 'DiscordSignatureError';
}

/** True when the value can be a DISCORD_PUBLIC_KEY (32 bytes, hex), so a bad config is told apart from a bad request. */
export function isDiscordPublicKey(publicKeyHex: string): boolean {
  return fromHex(publicKeyHex)?.length === ED25519_PUBLIC_KEY_BYTES;
}

/** Imported keys by hex: importing costs more than verifying, and the key changes only on redeploy. */
const keyCache = new Map<string, Promise<CryptoKey>>();

function importPublicKey(publicKeyHex: string): Promise<CryptoKey> {
  let key = keyCache.get(publicKeyHex);
  if (!key) {
    const raw = fromHex(publicKeyHex);
    if (!raw || raw.length !== ED25519_PUBLIC_KEY_BYTES) {
      return Promise.reject(new DiscordSignatureError('DISCORD_PUBLIC_KEY is not a 32-byte hex key'));
    }
    key = crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
    keyCache.clear();
    keyCache.set(publicKeyHex, key);
  }
  return key;
}

/**
 * Verifies an interaction against its raw body; throws DiscordSignatureError for any failure
 * (missing or malformed headers, stale timestamp, bad signature). The caller answers 401 to all of
 * them alike: Discord probes endpoints with bad signatures and disables those that accept one.
 */
export async function verifyDiscordSignature(
  publicKeyHex: string,
  headers: Headers,
  body: string,
  nowSeconds: number,
  toleranceSeconds = DISCORD_SIGNATURE_TOLERANCE_SECONDS,
): Promise<void> {
  const signatureHex = headers.get('X-Signature-Ed25519');
  const timestamp = headers.get('X-Signature-Timestamp');
  if (!signatureHex || !timestamp) {
    throw new DiscordSignatureError('missing X-Signature-Ed25519 or X-Signature-Timestamp header');
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new DiscordSignatureError('X-Signature-Timestamp is not a unix time in seconds');
  }
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    throw new DiscordSignatureError(`X-Signature-Timestamp is outside the ${toleranceSeconds} s window`);
  }
  const signature = fromHex(signatureHex);
  if (!signature || signature.length !== ED25519_SIGNATURE_BYTES) {
    throw new DiscordSignatureError('X-Signature-Ed25519 is not a 64-byte hex signature');
  }
  const key = await importPublicKey(publicKeyHex);
  // Ed25519 verification is a single curve equation check, not a byte compare: no timing leak to guard.
  const valid = await crypto.subtle.verify('Ed25519', key, signature, utf8(timestamp + body));
  if (!valid) throw new DiscordSignatureError('X-Signature-Ed25519 does not match the body');
}
