/**
 * A list of short tokens (proxy addresses, country codes, counts) kept as one string, the tokens
 * joined by a space. The poller state carries thousands of proxy addresses from tick to tick: as JSON
 * arrays, every tick parsed them into thousands of heap strings, copied them and wrote them back one by
 * one, and each of them was one more object for the garbage collector to copy when it ran during the
 * tick. As one string, KV's JSON holds a single value, read and written as one copy; the list is split
 * only when it is needed whole (a sweep finishing). A token must not contain the separator
 * (`packable`); an empty token cannot be told apart from no token, so callers write a placeholder.
 */

const SEPARATOR = ' ';

/** True when `token` can be packed and read back as itself. */
export function packable(token: string): boolean {
  return token !== '' && !token.includes(SEPARATOR);
}

export function pack(tokens: readonly (string | number)[]): string {
  return tokens.join(SEPARATOR);
}

export function unpack(packed: string): string[] {
  return packed === '' ? [] : packed.split(SEPARATOR);
}

/** `packed` with `token` added at the end. */
export function appendPacked(packed: string, token: string): string {
  return packed === '' ? token : `${packed}${SEPARATOR}${token}`;
}
