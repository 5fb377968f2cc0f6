/**
 * Proxy passwords made here, for Webshare v2, which has no reset endpoint: the caller PATCHes the
 * proxy config with a password of its own. Webshare's rule for it (proxy-config.md, "password"):
 * "Must be between 8-32 characters, alphanumeric. Cannot be too common password. Cannot be too
 * similar to proxy username." 24 random alphanumerics carry about 143 bits: never common, and with
 * odds of ~2^-143 of resembling any given username.
 */

export const GENERATED_PASSWORD_LENGTH = 24;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The largest multiple of 62 below 256: bytes at or above it are drawn again, so no letter is likelier. */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

export type RandomBytes = (bytes: Uint8Array) => Uint8Array;

const cryptoRandom: RandomBytes = (bytes) => crypto.getRandomValues(bytes);

/** A uniformly random alphanumeric password with at least one digit, lower- and upper-case letter. */
export function generateProxyPassword(random: RandomBytes = cryptoRandom): string {
  for (;;) {
    const password = drawAlphanumerics(GENERATED_PASSWORD_LENGTH, random);
    // Some sites' rules (and some humans reading it back) expect every class; redrawing keeps it uniform.
    if (/[0-9]/.test(password) && /[a-z]/.test(password) && /[A-Z]/.test(password)) return password;
  }
}

function drawAlphanumerics(length: number, random: RandomBytes): string {
  let out = '';
  while (out.length < length) {
    for (const byte of random(new Uint8Array(length * 2))) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += ALPHABET[byte % ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}
