/** Paging through Webshare's lists and naming a sub-user in a path, the same in both dialects. */

/** A positive whole sub-user id, as a path segment (a RangeError otherwise). */
export function subUserPath(id: number): string {
  if (!Number.isSafeInteger(id) || id <= 0) throw new RangeError('a sub-user id is a positive whole number');
  return String(id);
}

/** The page number a DRF `next` link points to, or undefined at the last page. */
export function nextPageNumber(next: string | null | undefined, current: number): number | undefined {
  if (!next) return undefined;
  let page: number;
  try {
    page = Number(new URL(next, 'https://placeholder.invalid').searchParams.get('page') ?? NaN);
  } catch {
    return undefined;
  }
  // A next link that does not advance would loop forever; treat it as the end.
  return Number.isInteger(page) && page > current ? page : undefined;
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
