/**
 * The Webshare v1 client: one typed method per documented operation. How a request travels (auth,
 * rate limits, budget, timeouts, retries, typed errors) is the transport's job (transport.ts).
 */
import { toCidr } from '../../lib/ip';
import { SlidingWindowLimiter } from '../rate-limits';
import { WebshareTransport, type ResponseParser } from '../transport';
import { WebshareBadRequestError } from '../errors';
import type { WebshareClientOptions } from '../client-options';
import { DialectClient } from '../dialect-client';
import { allResults, eachPage, subUserPath } from '../paging';
import type { ProxyListQuery, SubUserView, WebshareApi } from '../port';
import type { SweepRequest, SweepStep } from '../sweep';
import { V1ProxyAccess } from './access';
import { pagedSweepStep } from './sweep';
import { V1_TRAITS } from './traits';
import { ValidityPageParser } from './validity-page';
import {
  ProxyStatsReader,
  ReplacementInfoReader,
  SubUserPageReader,
  SubUserReader,
  SubscriptionReader,
} from './readers';
import type { ProxyPage, ProxyValidityPage, SubUser, SubUserCreate, SubUserUpdate } from '../types';
import { createdSince } from '../found';

/** v1 masquerades with this header (v2: X-Subuser). */
export const V1_SUBUSER_HEADER = 'X-Webshare-SubUser';

/**
 * The zod schemas of the answers a tick never reads, loaded on the first call that needs one: a cron
 * tick reads only what ./readers.ts reads, so it never loads zod (docs/performance.md, "The cold tick").
 */
const loadSchemas = () => import('./schemas');

export class WebshareClient extends DialectClient implements WebshareApi {
  protected readonly traits = V1_TRAITS;
  protected readonly access: V1ProxyAccess;

  constructor(options: WebshareClientOptions) {
    const { accessLock, newPassword: _webshareChooses, ...transport } = options;
    super(
      new WebshareTransport({
        subUserHeader: V1_SUBUSER_HEADER,
        ...transport,
        limiter: transport.limiter ?? new SlidingWindowLimiter(V1_TRAITS.rateLimits),
      }),
      accessLock,
    );
    this.access = new V1ProxyAccess(this);
  }

  // ---- Account --------------------------------------------------------------------------------------

  async getProfile() {
    const { ProfileSchema } = await loadSchemas();
    return this.request({ method: 'GET', path: '/api/profile/', schema: ProfileSchema });
  }

  getSubscription() {
    return this.request({ method: 'GET', path: '/api/subscription/', schema: SubscriptionReader });
  }

  async getProxyConfig(subUserId?: number) {
    const { ProxyConfigSchema } = await loadSchemas();
    return this.request({ method: 'GET', path: '/api/proxy/config/', schema: ProxyConfigSchema, subUserId });
  }

  async updateProxyConfig(update: { authorized_ips: string[] }) {
    const { ProxyConfigSchema } = await loadSchemas();
    return this.request({
      method: 'POST',
      path: '/api/proxy/config/',
      body: update,
      schema: ProxyConfigSchema,
    });
  }

  async resetProxyPassword() {
    const { ProxyConfigSchema } = await loadSchemas();
    return this.request({
      method: 'POST',
      path: '/api/proxy/config/reset_password/',
      schema: ProxyConfigSchema,
    });
  }

  // ---- Proxy list -----------------------------------------------------------------------------------

  async listProxies(query: ProxyListQuery = {}, subUserId?: number): Promise<ProxyPage> {
    const { ProxyPageSchema } = await loadSchemas();
    return this.#proxyListPage(query, ProxyPageSchema, subUserId);
  }

  /** One page of the proxy list, validating only what a validity sweep reads (address, valid, country). */
  listProxyValidity(query: ProxyListQuery = {}, subUserId?: number): Promise<ProxyValidityPage> {
    return this.#proxyListPage(query, ValidityPageParser, subUserId);
  }

  #proxyListPage<T extends ResponseParser>(query: ProxyListQuery, schema: T, subUserId: number | undefined) {
    return this.request({
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
  proxyPages(query: Omit<ProxyListQuery, 'page'> = {}, subUserId?: number): AsyncGenerator<ProxyPage> {
    return eachPage((page) => this.listProxies({ ...query, page }, subUserId));
  }

  // ---- Replacements ---------------------------------------------------------------------------------

  getReplacementInfo() {
    return this.request({
      method: 'GET',
      path: '/api/proxy/replacement/info/',
      schema: ReplacementInfoReader,
    });
  }

  /** Refreshes the whole proxy list; consumes one on-demand refresh. */
  refreshProxyList() {
    return this.request({
      method: 'POST',
      path: '/api/proxy/replacement/info/refresh/',
      schema: ReplacementInfoReader,
    });
  }

  async listReplacements() {
    const { ReplacementListSchema } = await loadSchemas();
    return this.request({ method: 'GET', path: '/api/proxy/replacement/', schema: ReplacementListSchema });
  }

  /** v1 replaces synchronously: a lost attempt's replacement is in the list, as a finished one. */
  async findReplacement(cidr: string, sinceMs: number) {
    const matches = (await this.listReplacements()).filter(
      (r) => r.ip_address === cidr && createdSince(r.created_at, sinceMs),
    );
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** v1 replaces synchronously: there is never a replacement to follow. */
  getReplacement(id: number): Promise<never> {
    return Promise.reject(
      new WebshareBadRequestError('v1 replacements are synchronous and have no id', {
        method: 'GET',
        path: `/api/proxy/replacement/${id}/`,
      }),
    );
  }

  /** Replaces one proxy (an IP, meaning /32) or every proxy in a CIDR range. */
  async createReplacement(ipOrCidr: string) {
    const cidr = toCidr(ipOrCidr);
    if (cidr === null) {
      throw new WebshareBadRequestError('invalid replacement target', {
        method: 'POST',
        path: '/api/proxy/replacement/',
        fieldErrors: { ip_address: ['Enter a valid IP address or CIDR range.'] },
      });
    }
    const { ReplacementSchema } = await loadSchemas();
    return this.request({
      method: 'POST',
      path: '/api/proxy/replacement/',
      body: { ip_address: cidr },
      schema: ReplacementSchema,
    });
  }

  // ---- Stats ----------------------------------------------------------------------------------------

  getProxyStats(subUserId?: number) {
    return this.request({ method: 'GET', path: '/api/proxy/stats/', schema: ProxyStatsReader, subUserId });
  }

  // ---- Sub-users ------------------------------------------------------------------------------------

  createSubUser(body: SubUserCreate): Promise<SubUser> {
    return this.request({ method: 'POST', path: '/api/subuser/', body, schema: SubUserReader });
  }

  getSubUser(id: number): Promise<SubUser> {
    return this.request({ method: 'GET', path: `/api/subuser/${subUserPath(id)}/`, schema: SubUserReader });
  }

  listSubUsers(page = 1) {
    return this.request({
      method: 'GET',
      path: '/api/subuser/',
      query: { page },
      schema: SubUserPageReader,
    });
  }

  /** Every sub-user, across all pages. */
  listAllSubUsers(): Promise<SubUser[]> {
    return allResults((page) => this.listSubUsers(page));
  }

  /** Partial update (PATCH): only the given fields change. */
  updateSubUser(id: number, patch: SubUserUpdate): Promise<SubUser> {
    return this.request({
      method: 'PATCH',
      path: `/api/subuser/${subUserPath(id)}/`,
      body: patch,
      schema: SubUserReader,
    });
  }

  refreshSubUser(id: number): Promise<SubUser> {
    return this.request({
      method: 'POST',
      path: `/api/subuser/${subUserPath(id)}/refresh/`,
      schema: SubUserReader,
    });
  }

  /** Deletes a sub-user (Webshare answers 204). */
  async deleteSubUser(id: number): Promise<void> {
    await this.request({ method: 'DELETE', path: `/api/subuser/${subUserPath(id)}/`, schema: undefined });
  }

  // ---- Sweep (proxy access is DialectClient's) ----------------------------------------------------

  /** v1 cannot filter the list: the sweep walks every page (./sweep.ts). */
  sweep(request: SweepRequest): Promise<SweepStep> {
    return pagedSweepStep({ ...request, fetchPage: (page) => this.listProxyValidity({ page }) });
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
}
