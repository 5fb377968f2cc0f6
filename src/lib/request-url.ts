/**
 * A request URL as `new URL(path, origin)` serializes it once `searchParams.set(key, value)` has run
 * for each defined value, built as a string. A tick sends up to 50 requests, and each URL and its
 * URLSearchParams is a runtime object that V8's young-generation collection must process: at 100,000
 * proxies that was the largest part of the collection's pause, on whichever tick it fell. Paths with
 * anything a URL would normalise (dot segments, characters to escape) still go through `URL`.
 */
export type Query = Record<string, string | number | undefined>;

const PLAIN_PATH = /^(?:\/[\w-]+)*\/?$/;

export function requestUrl(origin: string, path: string, query: Query = {}): string {
  if (!PLAIN_PATH.test(path)) return throughUrl(origin, path, query);
  let search = '';
  try {
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined)
        search += `${search ? '&' : '?'}${formEncode(key)}=${formEncode(String(value))}`;
    }
  } catch {
    // A lone surrogate (encodeURIComponent throws; URLSearchParams writes U+FFFD instead).
    return throughUrl(origin, path, query);
  }
  return `${origin}${path}${search}`;
}

function throughUrl(origin: string, path: string, query: Query): string {
  const url = new URL(path, origin);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** application/x-www-form-urlencoded, as URLSearchParams writes it: encodeURIComponent leaves !'()~ and writes a space as %20. */
function formEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20|[!'()~]/g, (c) =>
    c === '%20' ? '+' : `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
