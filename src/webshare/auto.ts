/**
 * WEBSHARE_API_VERSION=auto, all of it: one probe decides (GET /api/v2/subscription/ answering at all
 * means v2; 404 means the server has no v2), the answer is kept in KV (src/storage/dialect-choice.ts)
 * and in the poller state, and it is probed again only when the chosen dialect answers 404 to its own
 * core paths. Requests outside ticks get a port that resolves on first use (ResolvingWebshare); a
 * tick resolves before it builds its client (chooseTickDialect).
 */
import type { SubrequestBudget } from '../lib/budget';
import { unlimitedBudget } from '../lib/budget';
import type { DialectChoice, DialectSetting, WebshareDialect } from '../model/dialect';
import type { SourceError } from '../model/snapshot';
import { readDialect, storeDialect } from '../storage/dialect-choice';
import type { WebshareClientOptions } from './client-options';
import { connectDialect, traitsOf } from './dialects';
import { WebshareNotFoundError } from './errors';
import type { AuthorizedIpsEdit } from './access/ip-set';
import type { ProxyListQuery, SubUserView, WebshareApi } from './port';
import type { RateBucket } from './rate-limits';
import type { SweepRequest } from './sweep';
import type { WebshareTransportOptions } from './transport';
import type { SubUserCreate, SubUserUpdate } from './types';
import { askV2 } from './v2/probe';

/** What `auto` speaks while it cannot decide (the probe failed for another reason than 404). */
export const UNDECIDED_DIALECT: WebshareDialect = 'v1';

/**
 * Probes v2 once. Throws the WebshareError of anything but a 2xx or a 404 (a 401 or an outage says
 * nothing about which dialect exists), so the caller decides nothing and probes again next time.
 */
export async function probeDialect(options: WebshareTransportOptions): Promise<WebshareDialect> {
  try {
    await askV2(options);
    return 'v2';
  } catch (error) {
    if (error instanceof WebshareNotFoundError) return 'v1';
    throw error;
  }
}

export interface TickDialect {
  /** What to remember; null when auto could not decide this tick (it speaks UNDECIDED_DIALECT meanwhile). */
  choice: DialectChoice | null;
  dialect: WebshareDialect;
  /** Why auto could not decide (the probe's failure), as the tick records it. */
  error: unknown;
}

/**
 * Which dialect a tick speaks. A fixed setting decides it; with `auto` the choice kept in the poller
 * state is used, else the one a request outside a tick stored in KV, else one probe of v2 decides it
 * (and is stored for both).
 */
export async function chooseTickDialect(options: {
  setting: DialectSetting;
  kept: DialectChoice | null | undefined;
  kv: KVNamespace;
  transport: WebshareTransportOptions;
  nowMs: number;
}): Promise<TickDialect> {
  const { setting, kept } = options;
  const decidedAt = new Date(options.nowMs).toISOString();
  if (setting !== 'auto') {
    const choice =
      kept?.source === 'config' && kept.dialect === setting
        ? kept
        : { dialect: setting, source: 'config' as const, decided_at: decidedAt };
    return { choice, dialect: setting, error: null };
  }
  if (kept?.source === 'probe') return { choice: kept, dialect: kept.dialect, error: null };
  try {
    const choice = await storedOrProbed(options.kv, options.transport, decidedAt);
    return { choice, dialect: choice.dialect, error: null };
  } catch (error) {
    return { choice: null, dialect: UNDECIDED_DIALECT, error };
  }
}

/**
 * `auto`'s decision, for a tick and for the resolving port alike: the dialect stored in KV, else one
 * probe, whose answer is stored (without `kv`, nothing is read or kept). Throws the probe's error.
 */
async function storedOrProbed(
  kv: KVNamespace | undefined,
  transport: WebshareTransportOptions,
  decidedAt: string,
): Promise<DialectChoice> {
  const stored = kv ? await readDialect(kv) : null;
  if (stored) return stored;
  const choice: DialectChoice = {
    dialect: await probeDialect(transport),
    source: 'probe',
    decided_at: decidedAt,
  };
  if (kv) await storeDialect(kv, choice);
  return choice;
}

/**
 * True when a probed dialect should be probed again: both core sources of this tick answered 404,
 * i.e. the server no longer knows the dialect's own paths.
 */
export function dialectGone(choice: DialectChoice | null, errors: SourceError[]): boolean {
  if (choice?.source !== 'probe') return false;
  const core = errors.filter((e) => e.source === 'stats' || e.source === 'replacement_info');
  return core.length === 2 && core.every((e) => e.status === 404);
}

const NO_REQUESTS: Readonly<Record<RateBucket, number>> = { general: 0, proxyList: 0, downloadLinks: 0 };

/**
 * The port for `auto` outside ticks: on its first call it reads the stored dialect (one KV read) or,
 * when none is stored yet, probes v2 once and stores the answer; every call then goes to that
 * dialect's client. Callers keep building their port synchronously. Before it has resolved, its
 * traits are UNDECIDED_DIALECT's (nothing has been sent yet then).
 */
export class ResolvingWebshare implements WebshareApi {
  readonly #options: WebshareClientOptions;
  readonly #kv: KVNamespace | undefined;
  readonly #budget: SubrequestBudget;
  #resolved: Promise<WebshareApi> | undefined;
  #client: WebshareApi | undefined;

  constructor(options: WebshareClientOptions, kv?: KVNamespace) {
    this.#budget = options.budget ?? unlimitedBudget();
    this.#options = { ...options, budget: this.#budget };
    this.#kv = kv;
  }

  get #traits() {
    return this.#client ?? traitsOf(UNDECIDED_DIALECT);
  }
  get dialect() {
    return this.#traits.dialect;
  }
  get rateLimits() {
    return this.#traits.rateLimits;
  }
  get bytesPerGb() {
    return this.#traits.bytesPerGb;
  }
  get filtersProxyList() {
    return this.#traits.filtersProxyList;
  }
  get replacesAsynchronously() {
    return this.#traits.replacesAsynchronously;
  }
  sweepRequestCpuMs(pageSize: number | null): number {
    return this.#traits.sweepRequestCpuMs(pageSize);
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
      (dialect) => (this.#client = connectDialect(dialect, this.#options)),
    );
    // A failed probe must not stick for the client's lifetime.
    this.#resolved.catch(() => (this.#resolved = undefined));
    return this.#resolved;
  }

  async #choose(): Promise<WebshareDialect> {
    const decidedAt = new Date(this.#options.now?.() ?? Date.now()).toISOString();
    return (await storedOrProbed(this.#kv, this.#options, decidedAt)).dialect;
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
  sweep(request: SweepRequest) {
    return this.#call((c) => c.sweep(request));
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
  listAuthorizedIps() {
    return this.#call((c) => c.listAuthorizedIps());
  }
  updateAuthorizedIps(edit: AuthorizedIpsEdit) {
    return this.#call((c) => c.updateAuthorizedIps(edit));
  }
  resetPassword() {
    return this.#call((c) => c.resetPassword());
  }
}
