/**
 * What the rest of the worker asks of Webshare, whichever dialect answers: the v1 endpoint list
 * (client.ts) and the v2/v3 one (v2/client.ts) both implement it and normalise into the same shapes
 * (schemas.ts), so the poller, alerts, admin API, chat-ops, provisioning and remediation never look at
 * the dialect except where its behaviour truly differs (asynchronous replacement, the filtered sweep).
 */
import type { SubrequestBudget } from '../lib/budget';
import type { RateBucket } from './rate-limits';
import type {
  ListedSubUser,
  ProxyConfig,
  ProxyPage,
  ProxyStats,
  ProxyValidityPage,
  Replacement,
  ReplacementInfo,
  ReplacementResult,
  SubUser,
  SubUserCreate,
  SubUserPage,
  SubUserUpdate,
  Subscription,
} from './types';

/** The two API generations Webshare answers: legacy `/api/…` and current `/api/v2/` + `/api/v3/`. */
export type WebshareDialect = 'v1' | 'v2';

export interface ProxyListQuery {
  page?: number;
  /** Country codes (v1 sends `US-FR`, v2 `country_code__in=US,FR`). */
  countries?: string[];
  /** v2 only (`page_size`); v1 has a fixed page size and ignores it. */
  pageSize?: number;
  /** v2 only (`valid=`); v1 cannot filter, so the caller must check `filtersProxyList` first. */
  valid?: boolean;
}

/** The reads Webshare allows while masquerading as a sub-user. */
export interface SubUserView {
  getProxyConfig(): Promise<ProxyConfig>;
  listProxies(query?: ProxyListQuery): Promise<ProxyPage>;
  proxyPages(query?: Omit<ProxyListQuery, 'page'>): AsyncGenerator<ProxyPage>;
  getProxyStats(): Promise<ProxyStats>;
}

export interface WebshareApi {
  readonly dialect: WebshareDialect;
  /** True when the proxy list takes `valid`, `country_code__in` and `page_size` (v2): the cheap sweep. */
  readonly filtersProxyList: boolean;
  /** True when replacements answer before they are done and must be followed (v2). */
  readonly replacesAsynchronously: boolean;
  readonly requestCount: number;
  readonly sentByBucket: Readonly<Record<RateBucket, number>>;
  readonly budget: SubrequestBudget;

  getSubscription(): Promise<Subscription>;
  getProxyConfig(): Promise<ProxyConfig>;
  getProxyStats(): Promise<ProxyStats>;
  getReplacementInfo(): Promise<ReplacementInfo>;

  listProxies(query?: ProxyListQuery): Promise<ProxyPage>;
  listProxyValidity(query?: ProxyListQuery): Promise<ProxyValidityPage>;
  proxyPages(query?: Omit<ProxyListQuery, 'page'>): AsyncGenerator<ProxyPage>;

  /** Refreshes the whole list (one on-demand refresh) and answers with the quotas afterwards. */
  refreshProxyList(): Promise<ReplacementInfo>;
  listReplacements(): Promise<Replacement[]>;
  createReplacement(ipOrCidr: string): Promise<ReplacementResult>;
  /** Where an asynchronous replacement stands now (v2); v1 replacements never need following. */
  getReplacement(id: number): Promise<ReplacementResult>;
  /**
   * The replacement of `cidr` that an earlier attempt started at or after `sinceMs` (an
   * Idempotency-Key retry after an uncertain failure), finished or not; undefined when there is none,
   * or more than one (another client's cannot be told from ours).
   */
  findReplacement(cidr: string, sinceMs: number): Promise<ReplacementResult | undefined>;

  /** Single sub-users always come with their proxy credentials (v2 fetches them by masquerading). */
  createSubUser(body: SubUserCreate): Promise<SubUser>;
  getSubUser(id: number): Promise<SubUser>;
  updateSubUser(id: number, patch: SubUserUpdate): Promise<SubUser>;
  refreshSubUser(id: number): Promise<SubUser>;
  deleteSubUser(id: number): Promise<void>;
  /** Lists carry credentials on v1 only (see ListedSubUser). */
  listSubUsers(page?: number): Promise<SubUserPage>;
  listAllSubUsers(): Promise<ListedSubUser[]>;
  asSubUser(id: number): SubUserView;
}

/**
 * Bytes in one of the dialect's GB, for limits stated in GB (sub-user `proxy_limit`, v2's plan).
 * v1's examples use 2^30; v2 never says, so it is read as 10^9: the smaller limit, so a usage percent
 * (and the alert on it) is never under-reported (docs/webshare-api.md, "Units").
 */
export function bytesPerGb(dialect: WebshareDialect): number {
  return dialect === 'v2' ? 1_000_000_000 : 1024 ** 3;
}

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
