/**
 * The Webshare v2/v3 client: the same interface as the v1 client (../api.ts), the same transport
 * (auth, rate limits, budget, retries, typed errors), and answers normalised into the v1 shapes.
 *
 * What differs underneath: quotas and the bandwidth limit live in the plan (one more read, kept for
 * the client's lifetime, i.e. one invocation); usage is an aggregate over the billing period; the
 * proxy list filters server-side; replacement is asynchronous; sub-users carry no credentials (read
 * by masquerading with X-Subuser). Sub-user CRUD lives in subusers.ts.
 */
import type { z } from 'zod';
import type { WebshareClientOptions } from '../client-options';
import { DialectClient } from '../dialect-client';
import { allResults, eachPage } from '../paging';
import type { ProxyListQuery, SubUserView, WebshareApi } from '../port';
import type { SweepRequest, SweepStep } from '../sweep';
import { V2ProxyAccess } from './access';
import { filteredSweepStep } from './sweep';
import { V2_TRAITS } from './traits';
import { timingSafeEqualStrings } from '../../lib/crypto';
import { WebshareBadRequestError, WebshareNotFoundError, WebshareSubUserHeaderIgnoredError } from '../errors';
import { SlidingWindowLimiter } from '../rate-limits';
import type {
  ProxyConfig,
  ProxyPage,
  ProxyStats,
  ProxyValidityPage,
  Replacement,
  ReplacementInfo,
  ReplacementResult,
} from '../types';
import { WebshareTransport } from '../transport';
import {
  downloadLinks,
  statsWindow,
  toProxyConfig,
  toProxyStats,
  toReplacementInfo,
  toSubscription,
  planLimitBytes,
  V2_BYTES_PER_GB,
} from './normalise';
import { V2Replacements } from './replacements';
import { V2SubUsers } from './subusers';
import { loadSchemas } from './load-schemas';
import {
  V2AggregateStatsReader,
  V2PlanReader,
  V2ProxyValidityPageReader,
  V2SubscriptionReader,
  type V2Plan,
  type V2Subscription,
} from './readers';
import type { V2ProxyConfigObjectSchema, V2ProxyListStatusSchema } from './schemas';

export const V2_SUBUSER_HEADER = 'X-Subuser';

/** What a credential read answers, on either of the two v2 paths. */
type ProxyCredentials = z.output<typeof V2ProxyListStatusSchema> | z.output<typeof V2ProxyConfigObjectSchema>;
/** `mode` is required; `direct` lists the proxies themselves (backbone lists the gateway). */
const LIST_MODE = 'direct';
/** Pages of authorised IPs read for the proxy config (unlimited plans may have many). */
const IP_AUTHORIZATION_PAGES_MAX = 5;

export class WebshareV2Client extends DialectClient implements WebshareApi {
  protected readonly traits = V2_TRAITS;
  protected readonly access: V2ProxyAccess;
  readonly #origin: string;
  readonly #now: () => number;
  readonly #subUsers: V2SubUsers;
  readonly #replacements: V2Replacements;
  #subscription: Promise<V2Subscription> | undefined;
  #plan: Promise<V2Plan> | undefined;
  #ownerCredentials: Promise<ProxyCredentials> | undefined;

  constructor(options: WebshareClientOptions) {
    const { accessLock, newPassword, ...transport } = options;
    super(
      new WebshareTransport({
        ...transport,
        subUserHeader: V2_SUBUSER_HEADER,
        limiter: transport.limiter ?? new SlidingWindowLimiter(V2_TRAITS.rateLimits),
      }),
      accessLock,
    );
    this.access = new V2ProxyAccess((spec) => this.request(spec), newPassword);
    this.#origin = new URL(options.baseUrl).origin;
    this.#now = options.now ?? Date.now;
    this.#subUsers = new V2SubUsers(
      (spec) => this.request(spec),
      (id) => this.#credentials(id),
    );
    this.#replacements = new V2Replacements((spec) => this.request(spec));
  }

  // ---- Subscription and plan ------------------------------------------------------------------------

  /** The subscription (billing period, active plan id), read once per client. */
  subscription(): Promise<V2Subscription> {
    this.#subscription ??= this.request({
      method: 'GET',
      path: '/api/v2/subscription/',
      schema: V2SubscriptionReader,
    });
    // A failed read must not stick: the next caller tries again.
    this.#subscription.catch(() => (this.#subscription = undefined));
    return this.#subscription;
  }

  /** The active plan (quotas, bandwidth limit in GB); `fresh` re-reads it after a write spent a quota. */
  plan(fresh = false): Promise<V2Plan> {
    if (fresh || !this.#plan) {
      this.#plan = this.subscription().then((s) =>
        this.request({ method: 'GET', path: `/api/v2/subscription/plan/${s.plan}/`, schema: V2PlanReader }),
      );
      this.#plan.catch(() => (this.#plan = undefined));
    }
    return this.#plan;
  }

  async getSubscription() {
    const [subscription, plan] = await Promise.all([this.subscription(), this.plan()]);
    return toSubscription(subscription, plan);
  }

  async getReplacementInfo(): Promise<ReplacementInfo> {
    return toReplacementInfo(await this.plan());
  }

  /** The plan's countries, for the sweep's per-country totals. */
  async planCountries(): Promise<string[]> {
    return Object.keys((await this.plan()).proxy_countries ?? {});
  }

  // ---- Stats ----------------------------------------------------------------------------------------

  async getProxyStats(subUserId?: number): Promise<ProxyStats> {
    const subscription = await this.subscription();
    const window = statsWindow(subscription, this.#now());
    const [stats, limitBytes] = await Promise.all([
      this.request({
        method: 'GET',
        path: '/api/v2/stats/aggregate/',
        query: { timestamp__gte: window.gte, timestamp__lte: window.lte },
        schema: V2AggregateStatsReader,
        subUserId,
      }),
      subUserId === undefined
        ? this.plan().then(planLimitBytes)
        : this.#subUsers.get(subUserId, false).then((u) => Math.round(u.proxy_limit * V2_BYTES_PER_GB)),
    ]);
    return toProxyStats(stats, limitBytes);
  }

  // ---- Proxy config ---------------------------------------------------------------------------------

  /**
   * Proxy credentials, the account's or (with X-Subuser) a sub-user's. Nothing confirms that Webshare
   * applies the header (docs/webshare-api.md, assumption 5): a server that ignored it would answer the
   * owner's credentials, which would then go to a customer. So a sub-user's are compared with the
   * owner's (read once per client) and refused when either matches.
   */
  async #credentials(subUserId?: number): Promise<ProxyCredentials> {
    if (subUserId === undefined) return this.#ownCredentials();
    const [own, theirs] = await Promise.all([this.#ownCredentials(), this.#readCredentials(subUserId)]);
    const [sameUsername, samePassword] = await Promise.all([
      timingSafeEqualStrings(own.username, theirs.credentials.username),
      timingSafeEqualStrings(own.password, theirs.credentials.password),
    ]);
    if (sameUsername || samePassword) {
      throw new WebshareSubUserHeaderIgnoredError({
        method: 'GET',
        path: theirs.path,
        subUserId,
        header: V2_SUBUSER_HEADER,
      });
    }
    return theirs.credentials;
  }

  /** The account's own credentials, read once per client (one invocation). */
  #ownCredentials(): Promise<ProxyCredentials> {
    this.#ownerCredentials ??= this.#readCredentials().then((read) => read.credentials);
    this.#ownerCredentials.catch(() => (this.#ownerCredentials = undefined));
    return this.#ownerCredentials;
  }

  /**
   * v3 `proxy/list/status` holds the credentials (plan_id required); the docs' own masquerade example
   * reads v2 `proxy/config/` instead. Which honours X-Subuser live is unconfirmed, so a 404 or 400
   * from the first falls back to the second.
   */
  async #readCredentials(subUserId?: number): Promise<{ credentials: ProxyCredentials; path: string }> {
    const { plan } = await this.subscription();
    const { V2ProxyListStatusSchema, V2ProxyConfigObjectSchema } = await loadSchemas();
    try {
      const path = '/api/v3/proxy/list/status';
      const credentials = await this.request({
        method: 'GET',
        path,
        query: { plan_id: plan },
        schema: V2ProxyListStatusSchema,
        subUserId,
      });
      return { credentials, path };
    } catch (error) {
      if (!(error instanceof WebshareNotFoundError || error instanceof WebshareBadRequestError)) throw error;
      const path = '/api/v2/proxy/config/';
      const credentials = await this.request({
        method: 'GET',
        path,
        schema: V2ProxyConfigObjectSchema,
        subUserId,
      });
      return { credentials, path };
    }
  }

  async getProxyConfig(subUserId?: number): Promise<ProxyConfig> {
    const { plan } = await this.subscription();
    const { V2ProxyConfigV3Schema } = await loadSchemas();
    const [credentials, settings, ips] = await Promise.all([
      this.#credentials(subUserId),
      this.request({
        method: 'GET',
        path: '/api/v3/proxy/config',
        query: { plan_id: plan },
        schema: V2ProxyConfigV3Schema,
        subUserId,
      }),
      // Authorised IPs belong to the account, not to a sub-user.
      subUserId === undefined ? this.authorizedIps() : Promise.resolve([]),
    ]);
    return toProxyConfig(credentials, ips, downloadLinks(this.#origin, settings.proxy_list_download_token));
  }

  /** The account's authorised IPs (GET /api/v2/proxy/ipauthorization/, a page at a time). */
  async authorizedIps(): Promise<string[]> {
    const { V2IpAuthorizationPageSchema } = await loadSchemas();
    const authorizations = await allResults(
      (page) =>
        this.request({
          method: 'GET',
          path: '/api/v2/proxy/ipauthorization/',
          query: { page, page_size: 100 },
          schema: V2IpAuthorizationPageSchema,
        }),
      IP_AUTHORIZATION_PAGES_MAX,
    );
    return authorizations.map((r) => r.ip_address);
  }

  // ---- Proxy list -----------------------------------------------------------------------------------

  #listQuery(query: ProxyListQuery) {
    return {
      mode: LIST_MODE,
      page: query.page,
      page_size: query.pageSize,
      valid: query.valid === undefined ? undefined : String(query.valid),
      country_code__in: query.countries?.length ? query.countries.join(',') : undefined,
    };
  }

  async listProxies(query: ProxyListQuery = {}, subUserId?: number): Promise<ProxyPage> {
    const { V2ProxyPageSchema } = await loadSchemas();
    const page = await this.request({
      method: 'GET',
      path: '/api/v2/proxy/list/',
      query: this.#listQuery(query),
      bucket: 'proxyList',
      schema: V2ProxyPageSchema,
      subUserId,
    });
    return {
      ...page,
      results: page.results.map(({ port, proxy_address, high_country_confidence, ...rest }) => ({
        ...rest,
        // Residential plans list no address: the id is the stable name the sweep and alerts use.
        proxy_address: proxy_address ?? rest.id,
        ports: port == null ? null : { http: port, socks5: port },
        country_code_confidence: high_country_confidence == null ? null : high_country_confidence ? 1 : 0,
      })),
    };
  }

  async listProxyValidity(query: ProxyListQuery = {}): Promise<ProxyValidityPage> {
    const page = await this.request({
      method: 'GET',
      path: '/api/v2/proxy/list/',
      query: this.#listQuery(query),
      bucket: 'proxyList',
      schema: V2ProxyValidityPageReader,
    });
    return {
      ...page,
      results: page.results.map((p) => ({
        proxy_address: p.proxy_address ?? p.id,
        valid: p.valid,
        country_code: p.country_code,
      })),
    };
  }

  proxyPages(query: Omit<ProxyListQuery, 'page'> = {}, subUserId?: number): AsyncGenerator<ProxyPage> {
    return eachPage((page) => this.listProxies({ ...query, page }, subUserId));
  }

  // ---- Refresh and replacement ----------------------------------------------------------------------

  /** POST /api/v2/proxy/list/refresh/ answers 204 with no body: the quotas come from re-reading the plan. */
  async refreshProxyList(): Promise<ReplacementInfo> {
    await this.request({ method: 'POST', path: '/api/v2/proxy/list/refresh/', schema: undefined });
    return toReplacementInfo(await this.plan(true));
  }

  createReplacement(ipOrCidr: string): Promise<ReplacementResult> {
    return this.#replacements.create(ipOrCidr);
  }

  getReplacement(id: number): Promise<ReplacementResult> {
    return this.#replacements.get(id);
  }

  listReplacements(): Promise<Replacement[]> {
    return this.#replacements.list();
  }

  findReplacement(cidr: string, sinceMs: number): Promise<ReplacementResult | undefined> {
    return this.#replacements.find(cidr, sinceMs);
  }

  // ---- Sub-users ------------------------------------------------------------------------------------

  createSubUser(...args: Parameters<V2SubUsers['create']>) {
    return this.#subUsers.create(...args);
  }
  getSubUser(id: number) {
    return this.#subUsers.get(id, true);
  }
  updateSubUser(...args: Parameters<V2SubUsers['update']>) {
    return this.#subUsers.update(...args);
  }
  refreshSubUser(id: number) {
    return this.#subUsers.refresh(id);
  }
  deleteSubUser(id: number) {
    return this.#subUsers.delete(id);
  }
  listSubUsers(page = 1) {
    return this.#subUsers.list(page);
  }
  listAllSubUsers() {
    return this.#subUsers.listAll();
  }

  // ---- Sweep (proxy access is DialectClient's) ----------------------------------------------------

  /** v2 filters the list: the sweep asks for the invalid proxies and the counts it needs (./sweep.ts). */
  sweep(request: SweepRequest): Promise<SweepStep> {
    return filteredSweepStep({ ...request, fetch: (query) => this.listProxyValidity(query) });
  }

  /** Reads as a sub-user, via the X-Subuser header. */
  asSubUser(id: number): SubUserView {
    this.#subUsers.check(id);
    return {
      getProxyConfig: () => this.getProxyConfig(id),
      listProxies: (query) => this.listProxies(query, id),
      proxyPages: (query) => this.proxyPages(query, id),
      getProxyStats: () => this.getProxyStats(id),
    };
  }
}
