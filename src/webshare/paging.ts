/** Paging through Webshare's lists and naming a sub-user in a path, the same in both dialects. */

/** A positive whole sub-user id, as a path segment (a RangeError otherwise). */
export function subUserPath(id: number): string {
  if (!Number.isSafeInteger(id) || id <= 0) throw new RangeError('a sub-user id is a positive whole number');
  return String(id);
}

/** The page number a DRF `next` link points to, or undefined at the last page. */
export function nextPageNumber(next: string | null | undefined, current: number): number | undefined {
  if (!next) return undefined;
  const page = Number(queryParameter(next, 'page') ?? NaN);
  // A next link that does not advance would loop forever; treat it as the end.
  return Number.isInteger(page) && page > current ? page : undefined;
}

/**
 * The first value of `name` in a link's query, decoded as URLSearchParams decodes it; null when absent
 * or undecodable. Read from the string rather than through `new URL(...).searchParams`: a sweep reads
 * one link per page, and each URL and URLSearchParams is a runtime object that the young-generation
 * garbage collection must process, the largest part of its pause inside a tick.
 */
function queryParameter(link: string, name: string): string | null {
  const hash = link.indexOf('#');
  const end = hash === -1 ? link.length : hash;
  const start = link.indexOf('?');
  if (start === -1 || start > end) return null;
  for (const pair of link.slice(start + 1, end).split('&')) {
    const equals = pair.indexOf('=');
    const key = equals === -1 ? pair : pair.slice(0, equals);
    if (decodeComponent(key) !== name) continue;
    return equals === -1 ? '' : decodeComponent(pair.slice(equals + 1));
  }
  return null;
}

function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return null;
  }
}

/**
 * Every page from the first, following `next` by its page number only: the request always goes to
 * the configured origin, so a `next` pointing elsewhere can never receive the API key. At most
 * `maxPages` (a bound on what one invocation may spend).
 */
export async function* eachPage<T extends { next?: string | null }>(
  fetchPage: (page: number) => Promise<T>,
  maxPages = Infinity,
): AsyncGenerator<T> {
  let page: number | undefined = 1;
  for (let read = 0; page !== undefined && read < maxPages; read++) {
    const result = await fetchPage(page);
    yield result;
    page = nextPageNumber(result.next, page);
  }
}

/** The results of every page (see eachPage), in order. */
export async function allResults<T>(
  fetchPage: (page: number) => Promise<{ next?: string | null; results: T[] }>,
  maxPages = Infinity,
): Promise<T[]> {
  const all: T[] = [];
  for await (const result of eachPage(fetchPage, maxPages)) all.push(...result.results);
  return all;
}
