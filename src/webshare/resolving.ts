/**
 * A WebshareApi for WEBSHARE_API_VERSION=auto outside ticks: on its first call it reads the stored
 * dialect (one KV read) or, when none is stored yet, probes v2 once and stores the answer; every call
 * then goes to that dialect's client. Callers keep building their client synchronously.
 */
import type { SubrequestBudget } from '../lib/budget';
import { unlimitedBudget } from '../lib/budget';
import type { ProxyListQuery, SubUserView, WebshareApi, WebshareDialect } from './api';
import { WebshareClient } from './v1/client';
import { readDialect, storeDialect } from '../storage/dialect-choice';
import { probeDialect } from './dialect';
import type { RateBucket } from './rate-limits';
import type { SubUserCreate, SubUserUpdate } from './types';
import type { WebshareTransportOptions } from './transport';
import { WebshareV2Client } from './v2/client';

export function clientForDialect(dialect: WebshareDialect, options: WebshareTransportOptions): WebshareApi {
  return dialect === 'v2' ? new WebshareV2Client(options) : new WebshareClient(options);
}

const NO_REQUESTS: Readonly<Record<RateBucket, number>> = { general: 0, proxyList: 0, downloadLinks: 0 };

export class DialectResolvingApi implements WebshareApi {
  readonly #options: WebshareTransportOptions;
  readonly #kv: KVNamespace | undefined;
  readonly #budget: SubrequestBudget;
  #resolved: Promise<WebshareApi> | undefined;
  #client: WebshareApi | undefined;

  constructor(options: WebshareTransportOptions, kv?: KVNamespace) {
    this.#budget = options.budget ?? unlimitedBudget();
    this.#options = { ...options, budget: this.#budget };
    this.#kv = kv;
  }

  /** The dialect once resolved; v1 before (nothing has been sent yet then). */
  get dialect(): WebshareDialect {
    return this.#client?.dialect ?? 'v1';
  }
  get filtersProxyList(): boolean {
    return this.#client?.filtersProxyList ?? false;
  }
  get replacesAsynchronously(): boolean {
    return this.#client?.replacesAsynchronously ?? false;
  }
  get requestCount(): number {
    return this.#client?.requestCount ?? 0;
  }
  get sentByBucket(): Readonly<Record<RateBucket, number>> {
    return this.#client?.sentByBucket ?? NO_REQUESTS;
  }
  get budget(): SubrequestBudget {
    return this.#budget;
  }

  /** The dialect's client, resolving it on first use. */
  resolve(): Promise<WebshareApi> {
    this.#resolved ??= this.#choose().then(
      (dialect) => (this.#client = clientForDialect(dialect, this.#options)),
    );
    // A failed probe must not stick for the client's lifetime.
    this.#resolved.catch(() => (this.#resolved = undefined));
    return this.#resolved;
  }

  async #choose(): Promise<WebshareDialect> {
    const stored = this.#kv ? await readDialect(this.#kv) : null;
    if (stored) return stored.dialect;
    const dialect = await probeDialect(this.#options);
    if (this.#kv) {
      await storeDialect(this.#kv, { dialect, source: 'probe', decided_at: new Date().toISOString() });
    }
    return dialect;
  }

  async #call<T>(use: (client: WebshareApi) => Promise<T>): Promise<T> {
    return use(await this.resolve());
  }

  getSubscription() {
    return this.#call((c) => c.getSubscription());
  }
  getProxyConfig() {
    return this.#call((c) => c.getProxyConfig());
  }
  getProxyStats() {
    return this.#call((c) => c.getProxyStats());
  }
  getReplacementInfo() {
    return this.#call((c) => c.getReplacementInfo());
  }
  listProxies(query?: ProxyListQuery) {
    return this.#call((c) => c.listProxies(query));
  }
  listProxyValidity(query?: ProxyListQuery) {
    return this.#call((c) => c.listProxyValidity(query));
  }
  async *proxyPages(query?: Omit<ProxyListQuery, 'page'>) {
    yield* (await this.resolve()).proxyPages(query);
  }
  refreshProxyList() {
    return this.#call((c) => c.refreshProxyList());
  }
  listReplacements() {
    return this.#call((c) => c.listReplacements());
  }
  createReplacement(ipOrCidr: string) {
    return this.#call((c) => c.createReplacement(ipOrCidr));
  }
  getReplacement(id: number) {
    return this.#call((c) => c.getReplacement(id));
  }
  findReplacement(cidr: string, sinceMs: number) {
    return this.#call((c) => c.findReplacement(cidr, sinceMs));
  }
  createSubUser(body: SubUserCreate) {
    return this.#call((c) => c.createSubUser(body));
  }
  getSubUser(id: number) {
    return this.#call((c) => c.getSubUser(id));
  }
  updateSubUser(id: number, patch: SubUserUpdate) {
    return this.#call((c) => c.updateSubUser(id, patch));
  }
  refreshSubUser(id: number) {
    return this.#call((c) => c.refreshSubUser(id));
  }
  deleteSubUser(id: number) {
    return this.#call((c) => c.deleteSubUser(id));
  }
  listSubUsers(page?: number) {
    return this.#call((c) => c.listSubUsers(page));
  }
  listAllSubUsers() {
    return this.#call((c) => c.listAllSubUsers());
  }
  asSubUser(id: number): SubUserView {
    const view = () => this.resolve().then((c) => c.asSubUser(id));
    return {
      getProxyConfig: () => view().then((v) => v.getProxyConfig()),
      listProxies: (query) => view().then((v) => v.listProxies(query)),
      async *proxyPages(query) {
        yield* (await view()).proxyPages(query);
      },
      getProxyStats: () => view().then((v) => v.getProxyStats()),
    };
  }
}
