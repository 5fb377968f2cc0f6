/**
 * The contract of the Webshare port (`WebshareApi`, src/webshare/port.ts): what every dialect's client
 * does, run once per dialect against the simulator speaking only that dialect (after hono's router
 * contract, `src/router/common.case.test.ts`: one `runTest({ newRouter })`, each implementation passes
 * it). Where the dialects truly differ, the difference is a property of the port (filtersProxyList,
 * replacesAsynchronously, bytesPerGb, rateLimits, the sweep and its CPU figure), and the contract checks
 * the port keeps its word.
 *
 * `CHECKS` is keyed by the port's own members: a member added to `WebshareApi` without a check here
 * fails the typecheck.
 */
import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../../sim';
import { SubrequestBudget } from '../../../src/lib/budget';
import { unpack } from '../../../src/model/packed-list';
import { noStreaks } from '../../../src/model/poller-state';
import { AuthorizedIpsLimitError, adding, removing } from '../../../src/webshare/access';
import { connectDialect } from '../../../src/webshare/dialects';
import type { WebshareApi, WebshareDialect } from '../../../src/webshare/port';
import { RATE_LIMITS_PER_MINUTE } from '../../../src/webshare/rate-limits';
import {
  SubrequestBudgetExhaustedError,
  WebshareBadRequestError,
  WebshareNotFoundError,
  WebshareServerError,
  WebshareUnauthorizedError,
} from '../../../src/webshare/errors';
import { routeOutbound } from '../../helpers/outbound';
import { API_KEY, BASE_URL, expectFailure } from '../harness';

export interface PortRig {
  sim: Simulator;
  port: WebshareApi;
  dialect: WebshareDialect;
  /** Another port on the same simulator, with its own subrequest budget. */
  withBudget(limit: number): WebshareApi;
}

function rig(dialect: WebshareDialect, simOptions: SimulatorOptions = {}): PortRig {
  const sim = createSimulator({ apiVersion: dialect, subUserPageSize: 2, ...simOptions });
  routeOutbound({ 'webshare.sim': sim.fetch });
  const build = (budget?: SubrequestBudget) =>
    connectDialect(dialect, {
      apiKey: API_KEY,
      baseUrl: BASE_URL,
      sleep: async () => {},
      random: () => 0.5,
      now: () => sim.control.now(),
      newPassword: () => 'ContractPassword0123456789',
      ...(budget ? { budget } : {}),
    });
  return { sim, port: build(), dialect, withBudget: (limit) => build(new SubrequestBudget(limit)) };
}

type Check = (rig: PortRig) => Promise<void>;

const newSubUser = (port: WebshareApi, label = 'acme') => port.createSubUser({ label, proxy_limit: 3 });

const CHECKS: Record<keyof WebshareApi, Check> = {
  async dialect({ port, dialect, sim }) {
    await port.getReplacementInfo();
    expect(port.dialect).toBe(dialect);
    const versioned = sim.requests.every((r) => /^\/api\/v[23]\//.test(r.path));
    expect(versioned).toBe(dialect === 'v2');
  },

  async filtersProxyList({ port, sim }) {
    const invalid = sim.control.invalidate(3);
    if (port.filtersProxyList) {
      const page = await port.listProxyValidity({ valid: false, pageSize: 100 });
      expect(page.results.map((p) => p.proxy_address).sort()).toEqual([...invalid].sort());
    } else {
      // Without the filter the caller must sweep every page: a page is unfiltered, whatever it asked.
      const page = await port.listProxyValidity({ page: 1 });
      expect(page.count).toBe(sim.state.proxies.count);
    }
  },

  async replacesAsynchronously({ port, sim }) {
    const address = sim.state.proxies.address(4);
    const started = await port.createReplacement(address);
    if (port.replacesAsynchronously) {
      expect(started).toMatchObject({ ip_address: `${address}/32`, state: 'validating' });
      expect(started.new_ip_address ?? null).toBeNull();
    } else {
      expect(started.new_ip_address).toBeTruthy();
    }
  },

  async rateLimits({ port }) {
    // Every dialect allows 60 list requests a minute and more general ones than that.
    expect(port.rateLimits.proxyList).toBe(RATE_LIMITS_PER_MINUTE.proxyList);
    expect(port.rateLimits.general).toBeGreaterThanOrEqual(RATE_LIMITS_PER_MINUTE.general);
  },

  async bytesPerGb({ port, sim }) {
    // A sub-user's limit in the dialect's GB is what its usage is measured against, in bytes.
    const created = await newSubUser(port);
    const stats = await port.asSubUser(created.id).getProxyStats();
    expect(stats.bandwidth_limit).toBe(3 * port.bytesPerGb);
    expect(sim.state.subUsers.get(created.id)!.proxy_limit).toBe(3);
    expect([1e9, 1024 ** 3]).toContain(port.bytesPerGb);
  },

  async sweepRequestCpuMs({ port }) {
    const perRequest = port.sweepRequestCpuMs(null);
    expect(perRequest).toBeGreaterThan(0);
    // Larger pages never cost less; the figure stays well inside one tick's CPU.
    expect(port.sweepRequestCpuMs(100)).toBeGreaterThanOrEqual(perRequest);
    expect(port.sweepRequestCpuMs(25)).toBeLessThan(1);
  },

  async sweep({ port, sim }) {
    const invalid = sim.control.invalidate(3);
    const nowIso = new Date(sim.control.now()).toISOString();
    let step = await port.sweep({ accumulator: null, streaks: noStreaks(), maxRequests: 1, nowIso });
    expect(step.pagesFetched).toBe(1);
    let requests = 1;
    while (!step.finished) {
      expect(step.error).toBeUndefined();
      expect(step.accumulator).not.toBeNull();
      step = await port.sweep({
        accumulator: step.accumulator,
        streaks: step.streaks,
        maxRequests: 1,
        nowIso,
      });
      requests++;
      expect(requests).toBeLessThan(50);
    }
    expect(step.finished.total).toBe(sim.state.proxies.count);
    expect(step.finished.invalid).toBe(3);
    expect(step.finished.invalid_proxies.map((p) => p.proxy_address).sort()).toEqual([...invalid].sort());
    expect(unpack(step.streaks.addresses).sort()).toEqual([...invalid].sort());
    // A sweep of the other kind's accumulator starts over rather than continuing it.
    const foreign = { ...step.finished, next_page: 2, pages_done: 1, count: 1, page_size: 1 };
    const restarted = await port.sweep({
      accumulator: {
        ...foreign,
        tracked: 0,
        tracked_addresses: '',
        tracked_countries: '',
        ...(port.filtersProxyList ? {} : { filtered: { list_total: 1, countries_todo: [] } }),
      },
      streaks: noStreaks(),
      maxRequests: 1,
      nowIso,
    });
    expect(restarted.accumulator?.ticks ?? restarted.finished?.ticks).toBe(1);
  },

  async listAuthorizedIps({ port, sim }) {
    expect(await port.listAuthorizedIps()).toEqual([]);
    sim.state.config.authorized_ips.push('203.0.113.7');
    expect(await port.listAuthorizedIps()).toEqual(['203.0.113.7']);
  },

  async updateAuthorizedIps({ port }) {
    const added = await port.updateAuthorizedIps(adding(['203.0.113.7', '203.0.113.8']));
    expect(added).toMatchObject({ added: ['203.0.113.7', '203.0.113.8'], removed: [] });
    const removed = await port.updateAuthorizedIps(removing(['203.0.113.7']));
    expect(removed).toMatchObject({ added: [], removed: ['203.0.113.7'] });
    expect(await port.listAuthorizedIps()).toEqual(['203.0.113.8']);
    const many = Array.from({ length: 30 }, (_, i) => `198.51.100.${i + 1}`);
    await expect(port.updateAuthorizedIps(adding(many))).rejects.toBeInstanceOf(AuthorizedIpsLimitError);
    expect(await port.listAuthorizedIps()).toEqual(['203.0.113.8']);
  },

  async resetPassword({ port, sim }) {
    const before = sim.state.config.password;
    const credentials = await port.resetPassword();
    expect(credentials.password).not.toBe(before);
    expect(credentials.password).toBe(sim.state.config.password);
    expect(credentials.username).toBe(sim.state.config.username);
  },

  async requestCount({ port, sim }) {
    expect(port.requestCount).toBe(0);
    await port.getProxyStats();
    expect(port.requestCount).toBe(sim.requests.length);
    expect(port.requestCount).toBeGreaterThan(0);
  },

  async sentByBucket({ port, sim }) {
    await port.listProxies({ page: 1 });
    const listRequests = sim.requests.filter((r) => r.bucket === 'proxyList').length;
    expect(port.sentByBucket.proxyList).toBe(listRequests);
    expect(listRequests).toBeGreaterThan(0);
  },

  async budget({ withBudget, sim }) {
    const starved = withBudget(0);
    await expectFailure(starved.getProxyStats(), SubrequestBudgetExhaustedError);
    expect(sim.requests).toEqual([]);
    const one = withBudget(20);
    await one.getReplacementInfo();
    expect(one.budget.used).toBe(sim.requests.length);
  },

  async getSubscription({ port, sim }) {
    const subscription = await port.getSubscription();
    expect(subscription.proxy_count).toBe(sim.state.proxies.count);
    expect(subscription.bandwidth_limit).toBeGreaterThan(0);
    expect(Number.isFinite(Date.parse(String(subscription.end_date)))).toBe(true);
  },

  async getProxyConfig({ port, sim }) {
    const config = await port.getProxyConfig();
    expect(config.username).toBe(sim.state.config.username);
    expect(config.password).toBe(sim.state.config.password);
    expect(config.authorized_ips).toEqual(sim.state.config.authorized_ips);
    expect(Object.keys(config.download_links).length).toBeGreaterThan(0);
  },

  async getProxyStats({ port, sim }) {
    sim.control.setBandwidth({ usedBytes: 7 * 1024 ** 3, limitBytes: 50 * 1024 ** 3 });
    const stats = await port.getProxyStats();
    expect(stats.bandwidth_used).toBe(7 * 1024 ** 3);
    expect(stats.bandwidth_limit).toBeGreaterThan(stats.bandwidth_used);
    expect(stats.requests_total).toBeGreaterThanOrEqual(0);
  },

  async getReplacementInfo({ port, sim }) {
    sim.control.setQuotas({ replacementsTotal: 10, replacementsUsed: 4, ondemandTotal: 3, ondemandUsed: 1 });
    const info = await port.getReplacementInfo();
    expect(info).toMatchObject({
      proxy_replacements_total: 10,
      proxy_replacements_used: 4,
      proxy_replacements_available: 6,
      ondemand_refreshes_available: 2,
    });
  },

  async listProxies({ port, sim }) {
    const page = await port.listProxies({ page: 1, countries: ['US'] });
    expect(page.results.length).toBeGreaterThan(0);
    expect(page.results.every((p) => p.country_code === 'US')).toBe(true);
    expect(page.results[0]).toMatchObject({ username: expect.any(String), valid: expect.any(Boolean) });
    const all = await port.listProxies({ page: 1 });
    expect(all.count).toBe(sim.state.proxies.count);
  },

  async listProxyValidity({ port, sim }) {
    const [bad] = sim.control.invalidate(1);
    const seen = new Map<string, boolean>();
    for (let page = 1; seen.size < sim.state.proxies.count; page++) {
      const result = await port.listProxyValidity({ page, pageSize: 100 });
      for (const p of result.results) seen.set(p.proxy_address, p.valid);
      if (!result.next) break;
    }
    expect(seen.size).toBe(sim.state.proxies.count);
    expect(seen.get(bad!)).toBe(false);
  },

  async proxyPages({ port, sim }) {
    const addresses: string[] = [];
    let pages = 0;
    for await (const page of port.proxyPages({ pageSize: 25 })) {
      pages++;
      addresses.push(...page.results.map((p) => p.proxy_address));
    }
    expect(new Set(addresses).size).toBe(sim.state.proxies.count);
    expect(pages).toBe(Math.ceil(sim.state.proxies.count / 25));
  },

  async refreshProxyList({ port, sim }) {
    sim.control.setQuotas({ ondemandTotal: 3, ondemandUsed: 0 });
    const after = await port.refreshProxyList();
    expect(after.ondemand_refreshes_available).toBe(2);
    expect(sim.state.quotas.ondemandUsed).toBe(1);
  },

  async listReplacements({ port, sim }) {
    const address = sim.state.proxies.address(2);
    const started = await port.createReplacement(address);
    if (started.id !== undefined && started.state !== 'completed') await port.getReplacement(started.id);
    const replacements = await port.listReplacements();
    expect(replacements.map((r) => r.ip_address)).toContain(`${address}/32`);
    expect(replacements.find((r) => r.ip_address === `${address}/32`)?.new_ip_address).toBeTruthy();
  },

  async createReplacement({ port, sim }) {
    const address = sim.state.proxies.address(3);
    const result = await port.createReplacement(address);
    expect(result.ip_address).toBe(`${address}/32`);
    await expectFailure(port.createReplacement('not an address'), WebshareBadRequestError);
    sim.control.setQuotas({ replacementsTotal: 0, replacementsUsed: 0 });
    await expectFailure(port.createReplacement(sim.state.proxies.address(9)), WebshareBadRequestError);
  },

  async getReplacement({ port, sim }) {
    const address = sim.state.proxies.address(5);
    const started = await port.createReplacement(address);
    if (!port.replacesAsynchronously) {
      await expectFailure(port.getReplacement(1), WebshareBadRequestError);
      return;
    }
    const done = await port.getReplacement(started.id!);
    expect(done).toMatchObject({ id: started.id, state: 'completed', ip_address: `${address}/32` });
    expect(done.new_ip_address).toBeTruthy();
    await expectFailure(port.getReplacement(9_999), WebshareNotFoundError);
  },

  async findReplacement({ port, sim }) {
    const address = sim.state.proxies.address(6);
    const sinceMs = sim.control.now();
    expect(await port.findReplacement(`${address}/32`, sinceMs)).toBeUndefined();
    await port.createReplacement(address);
    const found = await port.findReplacement(`${address}/32`, sinceMs);
    expect(found?.ip_address).toBe(`${address}/32`);
    // Made before the attempt began: not the lost attempt's.
    expect(await port.findReplacement(`${address}/32`, sim.control.now() + 60_000)).toBeUndefined();
  },

  async createSubUser({ port, sim }) {
    const created = await newSubUser(port);
    const atWebshare = sim.state.subUsers.get(created.id)!;
    expect(created).toMatchObject({
      label: 'acme',
      proxy_limit: 3,
      proxy_username: atWebshare.proxy_username,
      proxy_password: atWebshare.proxy_password,
    });
    await expectFailure(port.createSubUser({ label: '', proxy_limit: 3 }), WebshareBadRequestError);
  },

  async getSubUser({ port, sim }) {
    const created = await newSubUser(port);
    const read = await port.getSubUser(created.id);
    expect(read.proxy_password).toBe(sim.state.subUsers.get(created.id)!.proxy_password);
    await expectFailure(port.getSubUser(created.id + 1_000), WebshareNotFoundError);
  },

  async updateSubUser({ port, sim }) {
    const created = await newSubUser(port);
    const updated = await port.updateSubUser(created.id, { proxy_limit: 9 });
    expect(updated.proxy_limit).toBe(9);
    expect(sim.state.subUsers.get(created.id)!.proxy_limit).toBe(9);
  },

  async refreshSubUser({ port, sim }) {
    // Webshare refreshes only a sub-user with a proxy list of its own (proxy_countries).
    const created = await port.createSubUser({
      label: 'own-list',
      proxy_limit: 3,
      proxy_countries: { US: 2 },
    });
    const refreshed = await port.refreshSubUser(created.id);
    expect(refreshed.id).toBe(created.id);
    expect(refreshed.proxy_password).toBe(sim.state.subUsers.get(created.id)!.proxy_password);
  },

  async deleteSubUser({ port, sim }) {
    const created = await newSubUser(port);
    await port.deleteSubUser(created.id);
    expect(sim.state.subUsers.has(created.id)).toBe(false);
    await expectFailure(port.deleteSubUser(created.id), WebshareNotFoundError);
  },

  async listSubUsers({ port, dialect }) {
    await newSubUser(port, 'a');
    await newSubUser(port, 'b');
    await newSubUser(port, 'c');
    const first = await port.listSubUsers(1);
    expect(first.count).toBe(3);
    expect(first.results).toHaveLength(2);
    expect(first.next).toBeTruthy();
    // Lists carry credentials on v1 only: v2 would need one masquerade read per sub-user.
    expect(first.results.every((u) => (u.proxy_password !== null) === (dialect === 'v1'))).toBe(true);
  },

  async listAllSubUsers({ port }) {
    for (const label of ['a', 'b', 'c', 'd', 'e']) await newSubUser(port, label);
    const all = await port.listAllSubUsers();
    expect(all.map((u) => u.label).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  },

  async asSubUser({ port, sim }) {
    const created = await newSubUser(port);
    sim.control.setSubUserUsage(created.id, 1_000_000);
    const view = port.asSubUser(created.id);
    const config = await view.getProxyConfig();
    expect(config.username).toBe(sim.state.subUsers.get(created.id)!.proxy_username);
    const stats = await view.getProxyStats();
    expect(stats.bandwidth_used).toBe(1_000_000);
    expect(stats.bandwidth_limit).toBe(3 * port.bytesPerGb);
    const page = await view.listProxies({ page: 1 });
    const pages: number[] = [];
    for await (const p of view.proxyPages()) pages.push(p.results.length);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(page.count);
    expect(sim.requests.filter((r) => r.subUser === created.id).length).toBeGreaterThanOrEqual(4);
    expect(() => port.asSubUser(0)).toThrow(RangeError);
  },
};

/** Failures every operation shares, whichever dialect answers. */
function errorChecks(newRig: () => PortRig): void {
  it('maps a revoked key to WebshareUnauthorizedError, never quoting the key', async () => {
    const { port, sim } = newRig();
    sim.control.revokeKey();
    await expectFailure(port.getReplacementInfo(), WebshareUnauthorizedError);
  });

  it('retries a read through a passing 5xx, and reports one that stays', async () => {
    const { port, sim } = newRig();
    sim.control.inject({ path: '/api/*', status: 502, times: 1 });
    await expect(port.listProxies({ page: 1 })).resolves.toBeDefined();
    sim.control.inject({ path: '/api/*', status: 500 });
    await expectFailure(port.listProxies({ page: 1 }), WebshareServerError);
  });
}

/** Runs the whole contract against one dialect's port. */
export function runWebshareContract(dialect: WebshareDialect): void {
  describe(`the Webshare port on ${dialect}`, () => {
    it.each(Object.keys(CHECKS) as (keyof WebshareApi)[])('keeps its contract: %s', async (member) => {
      await CHECKS[member](rig(dialect));
    });
    errorChecks(() => rig(dialect));
  });
}
