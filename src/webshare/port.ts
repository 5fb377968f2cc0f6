/**
 * The Webshare port: what the rest of the worker asks of Webshare, whichever dialect answers. Each
 * dialect (v1/, v2/) implements it once and answers in the worker's own types (types.ts); the one
 * factory (open.ts) picks the implementation, as hono.ts picks its router once. What differs between
 * the dialects is a property or a method of the port (rate limits, bytes per GB, the sweep, the CPU a
 * list request costs, asynchronous replacement), never a branch in its callers: outside src/webshare/
 * nothing compares a dialect's name (test/architecture/one-port.test.ts).
 */
import type { SubrequestBudget } from '../lib/budget';
import type { WebshareDialect } from '../model/dialect';
import type { AuthorizedIpsChange, AuthorizedIpsEdit } from './access/ip-set';
import type { ProxyCredentials } from './access/types';
import type { RateBucket } from './rate-limits';
import type { SweepRequest, SweepStep } from './sweep';
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

export type { WebshareDialect };

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

/** What a dialect is, as far as its callers must know: read, never compared by name. */
export interface DialectTraits {
  /** The dialect's name, to store and show (the snapshot's `webshare_api`, /v1/status). */
  readonly dialect: WebshareDialect;
  /** Requests per minute Webshare allows per rate-limit class. */
  readonly rateLimits: Readonly<Record<RateBucket, number>>;
  /** Bytes in one of the dialect's GB, for limits stated in GB (sub-user `proxy_limit`). */
  readonly bytesPerGb: number;
  /** True when the proxy list takes `valid`, `country_code__in` and `page_size` (v2). */
  readonly filtersProxyList: boolean;
  /** True when replacements answer before they are done and must be followed (v2). */
  readonly replacesAsynchronously: boolean;
  /**
   * Milliseconds of CPU one list request of the sweep costs a tick (src/poller/cpu-budget.ts sizes
   * the sweep by it), given the proxies per page once a sweep knows it.
   */
  sweepRequestCpuMs(pageSize: number | null): number;
}

export interface WebshareApi extends DialectTraits {
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
  /**
   * One step of the proxy-validity sweep, in the dialect's own way (v1 walks every page; v2 asks for
   * the invalid proxies and the counts it needs), at most `maxRequests` list requests. An accumulator
   * the other dialect started is dropped and the sweep starts over.
   */
  sweep(request: SweepRequest): Promise<SweepStep>;

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

  // ---- Access: authorised IPs and the proxy password -----------------------------------------------

  listAuthorizedIps(): Promise<string[]>;
  /**
   * Reads the set, applies `edit`, and writes only what changed (nothing when nothing did), holding
   * the account's change lock from the read to the re-read. Throws AuthorizedIpsLimitError before
   * writing when the result would exceed AUTHORIZED_IPS_MAX.
   */
  updateAuthorizedIps(edit: AuthorizedIpsEdit): Promise<AuthorizedIpsChange>;
  /** A new proxy password for the account; the only place it is returned. */
  resetPassword(): Promise<ProxyCredentials>;
}
