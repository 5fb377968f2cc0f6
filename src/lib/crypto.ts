/**
 * Byte helpers and constant-time comparison for secrets and signatures.
 * Every comparison of a secret in this project goes through `timingSafeEqualStrings` (or, against the
 * configured tokens, `matchConfiguredSecrets`).
 */

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (const byte of view) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Decodes hex; returns null for anything that is not an even-length hex string. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Decodes standard base64; returns null for malformed input instead of throwing. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/**
 * Imported HMAC keys, per secret: every signed hook, chat-ops request and signed alert used to import
 * the same few secrets again. Keyed by the key bytes (as latin1 text, which maps bytes 1:1); bounded,
 * since a key is only ever one of the configured secrets, and dropped whole when full rather than
 * tracking use. Holding a CryptoKey keeps no more of the secret in memory than the env already does.
 */
const HMAC_KEYS_CACHED = 32;
const hmacKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(keyBytes: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const id = String.fromCharCode(...keyBytes);
  let key = hmacKeys.get(id);
  if (!key) {
    if (hmacKeys.size >= HMAC_KEYS_CACHED) hmacKeys.clear();
    key = crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    // A failed import is not remembered: the next call tries again.
    key.catch(() => hmacKeys.delete(id));
    hmacKeys.set(id, key);
  }
  return key;
}

export async function hmacSha256(
  key: Uint8Array<ArrayBuffer> | string,
  message: string,
): Promise<Uint8Array> {
  const cryptoKey = await hmacKey(typeof key === 'string' ? utf8(key) : key);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, utf8(message)));
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', utf8(text)));
}

/**
 * Constant-time string comparison. Both sides are hashed first so the comparison takes the same
 * time whatever their lengths (a plain length check would leak the secret's length).
 */
export async function timingSafeEqualStrings(a: string, b: string): Promise<boolean> {
  const [hashA, hashB] = await Promise.all([
    crypto.subtle.digest('SHA-256', utf8(a)),
    crypto.subtle.digest('SHA-256', utf8(b)),
  ]);
  return crypto.subtle.timingSafeEqual(hashA, hashB) && a.length === b.length;
}

/**
 * Digests of configured secrets (the admin, read-only and metrics tokens), kept per isolate like the
 * HMAC keys above: a request then hashes only the token it presents (`/v1/status` used to hash four
 * times). Bounded, and dropped whole when full.
 */
const SECRET_DIGESTS_CACHED = 32;
const secretDigests = new Map<string, Promise<ArrayBuffer>>();

function secretDigest(secret: string): Promise<ArrayBuffer> {
  let digest = secretDigests.get(secret);
  if (!digest) {
    if (secretDigests.size >= SECRET_DIGESTS_CACHED) secretDigests.clear();
    digest = crypto.subtle.digest('SHA-256', utf8(secret));
    digest.catch(() => secretDigests.delete(secret));
    secretDigests.set(secret, digest);
  }
  return digest;
}

/**
 * Whether `presented` equals each of the configured `secrets` (undefined: not configured, never
 * equal), every one compared in constant time as timingSafeEqualStrings does, with no early exit.
 */
export async function matchConfiguredSecrets(
  presented: string,
  secrets: readonly (string | undefined)[],
): Promise<boolean[]> {
  const [hash, digests] = await Promise.all([
    crypto.subtle.digest('SHA-256', utf8(presented)),
    Promise.all(secrets.map((secret) => (secret === undefined ? null : secretDigest(secret)))),
  ]);
  return secrets.map((secret, i) => {
    const digest = digests[i];
    return !!digest && crypto.subtle.timingSafeEqual(hash, digest) && presented.length === secret!.length;
  });
}

/** Constant-time comparison of two byte arrays of possibly different lengths. */
export async function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): Promise<boolean> {
  const [hashA, hashB] = await Promise.all([
    crypto.subtle.digest('SHA-256', a as Uint8Array<ArrayBuffer>),
    crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>),
  ]);
  return crypto.subtle.timingSafeEqual(hashA, hashB) && a.length === b.length;
}
