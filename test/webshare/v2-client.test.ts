/**
 * The v2 client against the simulator's v2 dialect: every method answers in the normalised v1 shapes,
 * masquerades with X-Subuser, reads credentials by masquerading, follows asynchronous replacements
 * and keeps Webshare's error codes.
 */
import { describe, expect, it } from 'vitest';
import { WebshareBadRequestError, WebshareNotFoundError, hasCode } from '../../src/webshare/errors';
import { RATE_LIMITS_V2_PER_MINUTE } from '../../src/webshare/rate-limits';
import { expectFailure, harnessV2 } from './harness';

describe('the v2 client', () => {
  it('reads the subscription and plan as the v1 subscription, the bandwidth limit in bytes', async () => {
    const { sim, client } = harnessV2();
    const subscription = await client.getSubscription();
    expect(subscription.bandwidth_limit).toBe(sim.state.bandwidth.limitBytes);
    expect(subscription.proxy_count).toBe(sim.state.proxies.count);
    expect(subscription.start_date).toBe(sim.state.subscription.start_date);
    const info = await client.getReplacementInfo();
    expect(info.proxy_replacements_available).toBe(sim.state.quotas.replacementsTotal);
    // The subscription and the plan are read once per client.
    expect(sim.requests.map((r) => r.path)).toEqual([
      '/api/v2/subscription/',
      '/api/v2/subscription/plan/1/',
    ]);
  });

  it('aggregates usage over the billing period and computes limit and remaining from the plan', async () => {
    const { sim, client } = harnessV2();
    const stats = await client.getProxyStats();
    expect(stats.bandwidth_used).toBe(sim.state.bandwidth.usedBytes);
    expect(stats.bandwidth_limit).toBe(sim.state.bandwidth.limitBytes);
    expect(stats.bandwidth_remaining).toBe(sim.state.bandwidth.limitBytes - sim.state.bandwidth.usedBytes);
    expect(stats.requests_error_reasons).toEqual({ http_502: 25 });
    const aggregate = sim.requests.find((r) => r.path === '/api/v2/stats/aggregate/');
    expect(aggregate?.query.timestamp__gte).toBe(new Date(sim.state.subscription.start_date).toISOString());
  });

  it('lists proxies with string ids, filtered server-side by validity, country and page size', async () => {
    const { sim, client } = harnessV2({ proxyCount: 300 });
    const invalid = sim.control.invalidate(7);
    const page = await client.listProxyValidity({ valid: false, pageSize: 100 });
    expect(page.count).toBe(7);
    expect(page.results.map((p) => p.proxy_address).sort()).toEqual([...invalid].sort());
    const us = await client.listProxies({ countries: ['US'], pageSize: 1 });
    expect(us.count).toBe(sim.state.proxies.countsByCountry().US);
    expect(us.results[0]?.id).toMatch(/^d-\d+$/);
    expect(sim.requests.at(-1)?.query).toMatchObject({
      mode: 'direct',
      country_code__in: 'US',
      page_size: '1',
    });
  });

  it('refreshes (204) and answers with the quotas re-read from the plan', async () => {
    const { sim, client } = harnessV2();
    const before = await client.getReplacementInfo();
    const after = await client.refreshProxyList();
    expect(after.ondemand_refreshes_available).toBe(before.ondemand_refreshes_available - 1);
    expect(sim.state.quotas.ondemandUsed).toBe(1);
  });

  it('starts a replacement (validating) and follows it to completed, with the new address', async () => {
    const { sim, client } = harnessV2();
    const [address] = sim.control.invalidate(1);
    const started = await client.createReplacement(address!);
    expect(started).toMatchObject({ ip_address: `${address}/32`, state: 'validating', new_ip_address: null });
    const done = await client.getReplacement(started.id!);
    expect(done.state).toBe('completed');
    expect(done.ip_address).toBe(`${address}/32`);
    expect(done.new_ip_address).toEqual(expect.any(String));
    expect(done.new_ip_address).not.toBe(address);
    expect(await client.listReplacements()).toEqual([
      expect.objectContaining({ ip_address: `${address}/32`, new_ip_address: done.new_ip_address }),
    ]);
  });

  it('keeps the code of a refused replacement, so callers classify by code', async () => {
    const { sim, client } = harnessV2();
    sim.control.setQuotas({ replacementsAvailable: 0 });
    const error = await expectFailure(
      client.createReplacement(sim.state.proxies.address(0)),
      WebshareBadRequestError,
    );
    expect(hasCode(error, 'not_enough_replacements_in_subscription')).toBe(true);
  });

  it('refuses a CIDR range locally, naming why (v2 replaces named addresses)', async () => {
    const { sim, client } = harnessV2();
    await expectFailure(client.createReplacement('10.0.0.0/24'), WebshareBadRequestError);
    expect(sim.requests).toEqual([]);
  });

  it('creates a sub-user with its credentials (read as the sub-user), lists it without, deletes it (204)', async () => {
    const { sim, client } = harnessV2();
    const created = await client.createSubUser({ label: 'acme', proxy_limit: 5 });
    const simUser = sim.state.subUsers.get(created.id)!;
    expect(created).toMatchObject({
      label: 'acme',
      proxy_limit: 5,
      proxy_username: simUser.proxy_username,
      proxy_password: simUser.proxy_password,
    });
    // Read twice: as the sub-user, and as the account, whose credentials a sub-user's must not equal.
    const reads = sim.requests.filter((r) => r.path === '/api/v3/proxy/list/status');
    expect(reads.map((r) => r.subUser ?? null).sort()).toEqual([created.id, null].sort());
    const [listed] = await client.listAllSubUsers();
    expect(listed).toMatchObject({ id: created.id, proxy_username: null, proxy_password: null });
    expect((await client.getSubUser(created.id)).proxy_password).toBe(simUser.proxy_password);
    await client.deleteSubUser(created.id);
    await expectFailure(client.getSubUser(created.id), WebshareNotFoundError);
  });

  it('reads as a sub-user with X-Subuser: its stats against its own limit, its config and its list', async () => {
    const { sim, client } = harnessV2();
    const created = await client.createSubUser({ label: 'acme', proxy_limit: 2 });
    sim.control.setSubUserUsage(created.id, 1_000_000_000);
    const view = client.asSubUser(created.id);
    const stats = await view.getProxyStats();
    expect(stats).toMatchObject({ bandwidth_used: 1_000_000_000, bandwidth_limit: 2_000_000_000 });
    const config = await view.getProxyConfig();
    expect(config.username).toBe(sim.state.subUsers.get(created.id)!.proxy_username);
    expect(config.download_links.http_password_direct).toContain('/api/v2/proxy/list/download/');
    const page = await view.listProxies();
    expect(page.results[0]?.username).toContain(config.username);
  });

  it('paces itself at the v2 limits: 240 general requests a minute', async () => {
    expect(RATE_LIMITS_V2_PER_MINUTE).toMatchObject({ general: 240, proxyList: 60 });
    const { sim, client } = harnessV2();
    for (let i = 0; i < 200; i++) await client.getSubUser(1).catch(() => undefined);
    // Over v1's 180 a minute, and no 429 came back.
    expect(sim.requests.filter((r) => r.status === 429)).toEqual([]);
  });
});

describe('the v2 client, where the sources disagree', () => {
  it('reads credentials from v2 proxy/config when v3 proxy/list/status is not there', async () => {
    const { sim, client } = harnessV2();
    sim.control.inject({ path: '/api/v3/proxy/list/status', status: 404, times: 10 });
    const config = await client.getProxyConfig();
    expect(config.password).toBe(sim.state.config.password);
    expect(sim.requests.some((r) => r.path === '/api/v2/proxy/config/')).toBe(true);
  });
});
