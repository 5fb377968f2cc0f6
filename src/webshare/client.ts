/**
 * The Webshare v1 client: one typed method per documented operation, over one request path that
 * enforces the documented rate limits, a per-request timeout, a subrequest budget and a retry policy
 * that never repeats a write Webshare may already have done.
 */
import type { z } from 'zod';
import { unlimitedBudget, type SubrequestBudget } from '../lib/budget';
import {
  drainBody,
  fullJitterBackoffMs,
  isTimeoutError,
  parseRetryAfterSeconds,
  realSleep,
  type FetchLike,
  type Sleep,
} from '../lib/http';
import { toCidr } from '../lib/ip';
import {
  SubrequestBudgetExhaustedError,
  WebshareBadRequestError,
  WebshareError,
  WebshareLocalRateLimitError,
  WebshareNetworkError,
  WebshareRateLimitError,
  WebshareResponseError,
  WebshareTimeoutError,
  errorForStatus,
  isRetryableRead,
} from './errors';
import { SlidingWindowLimiter, type RateBucket } from './rate-limits';
import {
  ProfileSchema,
  ProxyConfigSchema,
  ProxyPageSchema,
  ProxyStatsSchema,
  ProxyValidityPageSchema,
  ReplacementInfoSchema,
  ReplacementListSchema,
  ReplacementSchema,
  SubUserPageSchema,
  SubUserSchema,
  SubscriptionSchema,
  parseFieldErrors,
  type ProxyPage,
  type ProxyValidityPage,
  type SubUser,
  type SubUserCreate,
  type SubUserUpdate,
} from './schemas';

/** "If you receive this error, you should wait up to 60 seconds and retry." */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ATTEMPTS = 4;
export const DEFAULT_MAX_RETRY_WAIT_MS = 10_000;
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 4_000;

export interface WebshareClientOptions {
  apiKey: string;
  /** Origin of the API, e.g. https://proxy.webshare.io. */
  baseUrl: string;
  /** Defaults to the global fetch, looked up at call time. */
  fetch?: FetchLike;
  timeoutMs?: number;
  /** Attempts per request, first included (reads; writes retry only on 429). */
  maxAttempts?: number;
  /** The longest single wait (Retry-After, backoff, rate window) worth sleeping through in one invocation. */
  maxRetryWaitMs?: number;
  budget?: SubrequestBudget;
  limiter?: SlidingWindowLimiter;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
}

interface RequestSpec<T extends z.ZodType | undefined> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  bucket?: RateBucket;
  schema: T;
  subUserId?: number;
}

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface ProxyListQuery {
  page?: number;
  /** Country codes, sent as Webshare's `-`-separated filter (US-FR). */
  countries?: string[];
}

/** The reads Webshare allows while masquerading as a sub-user (X-Webshare-SubUser). */
export interface SubUserView {
  getProxyConfig(): Promise<z.output<typeof ProxyConfigSchema>>;
  listProxies(query?: ProxyListQuery): Promise<ProxyPage>;
  proxyPages(query?: Omit<ProxyListQuery, 'page'>): AsyncGenerator<ProxyPage>;
  getProxyStats(): Promise<z.output<typeof ProxyStatsSchema>>;
}

export class WebshareClient {
  readonly #apiKey: string;
  readonly #origin: string;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #maxRetryWaitMs: number;
  readonly #budget: SubrequestBudget;
  readonly #limiter: SlidingWindowLimiter;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  #requestCount = 0;
  readonly #sentByBucket: Record<RateBucket, number> = { general: 0, proxyList: 0, downloadLinks: 0 };

  constructor(options: WebshareClientOptions) {
    if (!options.apiKey) throw new Error('WEBSHARE_API_KEY is not set');
    this.#apiKey = options.apiKey;
    this.#origin = new URL(options.baseUrl).origin;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.#maxRetryWaitMs = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
    this.#budget = options.budget ?? unlimitedBudget();
    this.#limiter = options.limiter ?? new SlidingWindowLimiter();
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
  }

  /** Requests actually sent (retries included), for subrequest accounting. */
  get requestCount(): number {
    return this.#requestCount;
  }

  /** Requests sent per rate-limit bucket, so callers can carry counts across invocations. */
  get sentByBucket(): Readonly<Record<RateBucket, number>> {
    return this.#sentByBucket;
  }

  get budget(): SubrequestBudget {
    return this.#budget;
  }

  // ---- Account --------------------------------------------------------------------------------------

  getProfile() {
    return this.#request({ method: 'GET', path: '/api/profile/', schema: ProfileSchema });
  }

  getSubscription() {
    return this.#request({ method: 'GET', path: '/api/subscription/', schema: SubscriptionSchema });
  }

  getProxyConfig(subUserId?: number) {
    return this.#request({ method: 'GET', path: '/api/proxy/config/', schema: ProxyConfigSchema, subUserId });
  }

  updateProxyConfig(update: { authorized_ips: string[] }) {
    return this.#request({
      method: 'POST',
      path: '/api/proxy/config/',
      body: update,
      schema: ProxyConfigSchema,
    });
  }

  resetProxyPassword() {
    return this.#request({
      method: 'POST',
      path: '/api/proxy/config/reset_password/',
      schema: ProxyConfigSchema,
    });
  }

  // ---- Proxy list -----------------------------------------------------------------------------------

  listProxies(query: ProxyListQuery = {}, subUserId?: number): Promise<ProxyPage> {
    return this.#proxyListPage(query, ProxyPageSchema, subUserId);
  }

  /** One page of the proxy list, validating only what a validity sweep reads (address, valid, country). */
  listProxyValidity(query: ProxyListQuery = {}, subUserId?: number): Promise<ProxyValidityPage> {
    return this.#proxyListPage(query, ProxyValidityPageSchema, subUserId);
  }

  #proxyListPage<T extends z.ZodType>(query: ProxyListQuery, schema: T, subUserId: number | undefined) {
    return this.#request({
      method: 'GET',
      path: '/api/proxy/list/',
      query: { page: query.page, countries: query.countries?.length ? query.countries.join('-') : undefined },
      bucket: 'proxyList',
      schema,
      subUserId,
    });
  }

  /**
   * Every page of the proxy list, following `next`. Only the page number is taken from `next`: the
   * request always goes to the configured origin, so a `next` pointing elsewhere can never receive
   * the API key.
   */
  async *proxyPages(query: Omit<ProxyListQuery, 'page'> = {}, subUserId?: number): AsyncGenerator<ProxyPage> {
    let page: number | undefined = 1;
    while (page !== undefined) {
      const result = await this.listProxies({ ...query, page }, subUserId);
      yield result;
      page = nextPageNumber(result.next, page);
    }
  }

  // ---- Replacements ---------------------------------------------------------------------------------

  getReplacementInfo() {
    return this.#request({
      method: 'GET',
      path: '/api/proxy/replacement/info/',
      schema: ReplacementInfoSchema,
    });
  }

  /** Refreshes the whole proxy list; consumes one on-demand refresh. */
  refreshProxyList() {
    return this.#request({
      method: 'POST',
      path: '/api/proxy/replacement/info/refresh/',
      schema: ReplacementInfoSchema,
    });
  }

  listReplacements() {
    return this.#request({ method: 'GET', path: '/api/proxy/replacement/', schema: ReplacementListSchema });
  }

  /** Replaces one proxy (an IP, meaning /32) or every proxy in a CIDR range. */
  createReplacement(ipOrCidr: string) {
    const cidr = toCidr(ipOrCidr);
    if (cidr === null) {
      return Promise.reject(
        new WebshareBadRequestError('invalid replacement target', {
          method: 'POST',
          path: '/api/proxy/replacement/',
          fieldErrors: { ip_address: ['Enter a valid IP address or CIDR range.'] },
        }),
      );
    }
    return this.#request({
      method: 'POST',
      path: '/api/proxy/replacement/',
      body: { ip_address: cidr },
      schema: ReplacementSchema,
    });
  }

  // ---- Stats ----------------------------------------------------------------------------------------

  getProxyStats(subUserId?: number) {
    return this.#request({ method: 'GET', path: '/api/proxy/stats/', schema: ProxyStatsSchema, subUserId });
  }

  // ---- Sub-users ------------------------------------------------------------------------------------

  createSubUser(body: SubUserCreate): Promise<SubUser> {
    return this.#request({ method: 'POST', path: '/api/subuser/', body, schema: SubUserSchema });
  }

  getSubUser(id: number): Promise<SubUser> {
    return this.#request({ method: 'GET', path: `/api/subuser/${subUserPath(id)}/`, schema: SubUserSchema });
  }

  listSubUsers(page = 1) {
    return this.#request({
      method: 'GET',
      path: '/api/subuser/',
      query: { page },
      schema: SubUserPageSchema,
    });
  }

  /** Every sub-user, across all pages. */
  async listAllSubUsers(): Promise<SubUser[]> {
    const all: SubUser[] = [];
    let page: number | undefined = 1;
    while (page !== undefined) {
      const result = await this.listSubUsers(page);
      all.push(...result.results);
      page = nextPageNumber(result.next, page);
    }
    return all;
  }

  /** Partial update (PATCH): only the given fields change. */
  updateSubUser(id: number, patch: SubUserUpdate): Promise<SubUser> {
    return this.#request({
      method: 'PATCH',
      path: `/api/subuser/${subUserPath(id)}/`,
      body: patch,
      schema: SubUserSchema,
    });
  }

  refreshSubUser(id: number): Promise<SubUser> {
    return this.#request({
      method: 'POST',
      path: `/api/subuser/${subUserPath(id)}/refresh/`,
      schema: SubUserSchema,
    });
  }

  /** Deletes a sub-user (Webshare answers 204). */
  async deleteSubUser(id: number): Promise<void> {
    await this.#request({ method: 'DELETE', path: `/api/subuser/${subUserPath(id)}/`, schema: undefined });
  }

  /** Reads as a sub-user, via the X-Webshare-SubUser header. */
  asSubUser(id: number): SubUserView {
    subUserPath(id);
    return {
      getProxyConfig: () => this.getProxyConfig(id),
      listProxies: (query) => this.listProxies(query, id),
      proxyPages: (query) => this.proxyPages(query, id),
      getProxyStats: () => this.getProxyStats(id),
    };
  }

  // ---- The one request path -------------------------------------------------------------------------

  async #request<T extends z.ZodType | undefined>(spec: RequestSpec<T>): Promise<Parsed<T>> {
    const isRead = spec.method === 'GET';
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#attempt(spec);
      } catch (error) {
        if (!(error instanceof WebshareError)) throw error;
        // Writes are retried only after 429, which Webshare answers before doing anything; a 5xx or
        // a timeout may have created the object already, and a second POST would make a second one.
        const retryable = isRead ? isRetryableRead(error) : error instanceof WebshareRateLimitError;
        if (!retryable || attempt + 1 >= this.#maxAttempts) throw error;
        const delayMs =
          error.retryAfterSeconds !== undefined
            ? error.retryAfterSeconds * 1000
            : fullJitterBackoffMs(attempt, BACKOFF_BASE_MS, BACKOFF_CAP_MS, this.#random);
        if (delayMs > this.#maxRetryWaitMs) throw error;
        await this.#sleep(delayMs);
      }
    }
  }

  async #attempt<T extends z.ZodType | undefined>(spec: RequestSpec<T>): Promise<Parsed<T>> {
    const bucket = spec.bucket ?? 'general';
    const where = { method: spec.method, path: spec.path };
    await this.#waitForRateWindow(bucket, where);
    if (!this.#budget.tryTake()) {
      throw new SubrequestBudgetExhaustedError(
        `subrequest budget of ${this.#budget.limit} spent; not sent`,
        where,
      );
    }
    this.#limiter.record(bucket, this.#now());
    this.#requestCount++;
    this.#sentByBucket[bucket]++;

    const url = new URL(spec.path, this.#origin);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      Authorization: `Token ${this.#apiKey}`,
      Accept: 'application/json',
    };
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    if (spec.subUserId !== undefined) headers['X-Webshare-SubUser'] = String(spec.subUserId);

    let response: Response;
    try {
      response = await this.#fetch(url.toString(), {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      if (isTimeoutError(error)) {
        throw new WebshareTimeoutError(`no answer within ${this.#timeoutMs} ms`, { ...where, cause: error });
      }
      throw new WebshareNetworkError('connection failed', { ...where, cause: error });
    }

    if (!response.ok) {
      const text = await readText(response);
      const { detail, fieldErrors } = parseFieldErrors(tryParseJson(text));
      const retryAfterSeconds =
        parseRetryAfterSeconds(response.headers.get('Retry-After'), this.#now()) ??
        (response.status === 429 ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
      throw errorForStatus({ ...where, status: response.status, detail, fieldErrors, retryAfterSeconds });
    }

    if (spec.schema === undefined) {
      await drainBody(response);
      return undefined as Parsed<T>;
    }
    const text = await readText(response);
    const json = tryParseJson(text);
    if (json === undefined) {
      throw new WebshareResponseError('the response is not JSON', { ...where, status: response.status });
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      // Name the fields, never their values: a response may carry proxy passwords.
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
      throw new WebshareResponseError(`unexpected response shape at ${[...new Set(fields)].join(', ')}`, {
        ...where,
        status: response.status,
      });
    }
    return parsed.data as Parsed<T>;
  }

  async #waitForRateWindow(bucket: RateBucket, where: { method: string; path: string }): Promise<void> {
    const waitMs = this.#limiter.waitMs(bucket, this.#now());
    if (waitMs <= 0) return;
    if (waitMs > this.#maxRetryWaitMs) {
      throw new WebshareLocalRateLimitError(`the ${bucket} rate limit is reached; not sent`, {
        ...where,
        retryAfterSeconds: Math.ceil(waitMs / 1000),
      });
    }
    await this.#sleep(waitMs);
  }
}

function subUserPath(id: number): string {
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

async function readText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return '';
  }
}

function tryParseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
