/**
 * The Webshare client against the simulator: every operation, pagination, the countries filter and
 * masquerading. (Error statuses, retries and timeouts are in client-errors.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { WebshareBadRequestError, WebshareNotFoundError } from '../../src/webshare/errors';
import type { Proxy } from '../../src/webshare/types';
import { expectFailure, harness } from './harness';

describe('WebshareClient against the simulator: account', () => {
  it('reads the profile', async () => {
    const { client } = harness();
    expect(await client.getProfile()).toMatchObject({
      email: 'ops@example.com',
      full_name: expect.any(String),
    });
  });

  it('normalises the subscription from the rotate_* / proxy_list_rotate_on_demand* spelling', async () => {
    const { client, sim } = harness({ proxyCount: 40, ondemandRefreshes: 5 });
    sim.state.subscription.automatic_refresh_frequency = 3600;
    sim.control.setQuotas({ ondemandUsed: 2 });
    expect(await client.getSubscription()).toMatchObject({
      proxy_count: 40,
      countries: { US: 20, DE: 8, FR: 8, GB: 4 },
      automatic_refresh_frequency: 3600,
      ondemand_refreshes_total: 5,
      ondemand_refreshes_used: 2,
      ondemand_refreshes_available: 3,
      bandwidth_limit: 50 * 1024 ** 3,
    });
  });

  it('reads and updates the proxy config, and resets the password', async () => {
    const { client } = harness();
    const config = await client.getProxyConfig();
    expect(Object.keys(config.download_links)).toHaveLength(8);
    const updated = await client.updateProxyConfig({ authorized_ips: ['10.3.5.10', '2001:db8::1'] });
    expect(updated.authorized_ips).toEqual(['10.3.5.10', '2001:db8::1']);
    const reset = await client.resetProxyPassword();
    expect(reset.password).not.toBe(config.password);
    expect((await client.getProxyConfig()).password).toBe(reset.password);
  });

  it('rejects authorized_ips that are not IPs with a field error', async () => {
    const { client } = harness();
    const error = await expectFailure(
      client.updateProxyConfig({ authorized_ips: ['not-an-ip'] }),
      WebshareBadRequestError,
    );
    expect(error.fieldErrors.authorized_ips?.[0]).toMatch(/valid IPv4 or IPv6/);
  });
});

describe('WebshareClient against the simulator: the proxy list', () => {
  it('walks every page with proxyPages(), following absolute next links', async () => {
    const { client, sim } = harness({ proxyCount: 60, pageSize: 25 });
    const pages = [];
    for await (const page of client.proxyPages()) pages.push(page);
    expect(pages.map((page) => page.results.length)).toEqual([25, 25, 10]);
    expect(pages[0]?.next).toBe('https://webshare.sim/api/proxy/list/?page=2');
    expect(pages[2]?.next).toBeNull();
    const addresses = pages.flatMap((page) => page.results.map((proxy) => proxy.proxy_address));
    expect(new Set(addresses).size).toBe(60);
    expect(sim.requests.map((r) => [r.path, r.query.page, r.bucket])).toEqual([
      ['/api/proxy/list/', '1', 'proxyList'],
      ['/api/proxy/list/', '2', 'proxyList'],
      ['/api/proxy/list/', '3', 'proxyList'],
    ]);
  });

  it('filters by countries, sent as US-FR', async () => {
    const { client, sim } = harness({ proxyCount: 100 });
    const seen: Proxy[] = [];
    for await (const page of client.proxyPages({ countries: ['US', 'FR'] })) seen.push(...page.results);
    expect(seen).toHaveLength(70);
    expect(new Set(seen.map((proxy) => proxy.country_code))).toEqual(new Set(['US', 'FR']));
    expect(sim.requests[0]?.query.countries).toBe('US-FR');
  });

  it('answers a page out of range with 404 Invalid page', async () => {
    const { client } = harness({ proxyCount: 10 });
    const error = await expectFailure(client.listProxies({ page: 2 }), WebshareNotFoundError);
    expect(error.detail).toBe('Invalid page.');
  });
});

describe('WebshareClient against the simulator: replacements', () => {
  it('refreshes the whole list on demand, until no refresh is left', async () => {
    const { client } = harness({ proxyCount: 5, ondemandRefreshes: 1 });
    const before = (await client.listProxies()).results.map((p) => p.proxy_address);
    const info = await client.refreshProxyList();
    expect(info).toMatchObject({ ondemand_refreshes_used: 1, ondemand_refreshes_available: 0 });
    const after = (await client.listProxies()).results;
    expect(after.every((p) => p.valid && !before.includes(p.proxy_address))).toBe(true);
    const error = await expectFailure(client.refreshProxyList(), WebshareBadRequestError);
    expect(error.detail).toMatch(/no on-demand refreshes/);
  });

  it('replaces one proxy by IP and every proxy in a CIDR range, and lists the history', async () => {
    const { client, sim } = harness({ proxyCount: 10, proxyReplacements: 10 });
    const [first] = sim.control.invalidate(['203.0.113.7']);
    const one = await client.createReplacement(first as string);
    expect(one.ip_address).toBe(`${first}/32`);
    expect(one.new_ip_address).not.toBe(first);
    const range = await client.createReplacement('203.0.113.0/30'); // .1 to .3
    expect(range.ip_address).toBe('203.0.113.0/30');
    expect(await client.listReplacements()).toHaveLength(2);
    const info = await client.getReplacementInfo();
    expect(info).toMatchObject({ proxy_replacements_used: 4, proxy_replacements_available: 6 });
    const addresses = (await client.listProxies()).results.map((p) => p.proxy_address);
    expect(addresses).not.toContain(first);
    expect(addresses.filter((a) => /^203\.0\.113\.[123]$/.test(a))).toEqual([]);
  });

  it('refuses a replacement that matches no proxy, or when none is left', async () => {
    const { client, sim } = harness({ proxyCount: 3 });
    const miss = await expectFailure(client.createReplacement('192.0.2.200'), WebshareBadRequestError);
    expect(miss.fieldErrors.ip_address?.[0]).toMatch(/No proxy/);
    sim.control.setQuotas({ replacementsAvailable: 0 });
    const none = await expectFailure(client.createReplacement('203.0.113.1'), WebshareBadRequestError);
    expect(none.detail).toMatch(/no proxy replacements/);
  });
});

describe('WebshareClient against the simulator: stats and sub-users', () => {
  it('reads stats in the example spelling, normalised', async () => {
    const { client, sim } = harness();
    sim.control.setBandwidth({ usedBytes: 1000, limitBytes: 4000 });
    sim.control.setRequests({
      total: 10,
      failed: 2,
      failureStatusCodes: { '502': 2 },
      countries: { US: 10 },
    });
    expect(await client.getProxyStats()).toMatchObject({
      bandwidth_used: 1000,
      bandwidth_remaining: 3000,
      requests_successful: 8,
      requests_countries: { US: 10 },
      requests_error_reasons: { http_502: 2 },
    });
  });

  it('creates, reads, lists across pages, updates, refreshes and deletes sub-users', async () => {
    const { client } = harness({ subUserPageSize: 2 });
    const created = [];
    for (const label of ['a', 'b', 'c']) created.push(await client.createSubUser({ label, proxy_limit: 1 }));
    expect(created.map((u) => u.id)).toEqual([1, 2, 3]);
    expect((await client.getSubUser(2)).label).toBe('b');
    expect((await client.listSubUsers(1)).next).toBe('https://webshare.sim/api/subuser/?page=2');
    expect((await client.listAllSubUsers()).map((u) => u.label)).toEqual(['a', 'b', 'c']);
    const updated = await client.updateSubUser(2, { label: 'bee', proxy_countries: { US: 3 } });
    expect(updated).toMatchObject({ label: 'bee', proxy_limit: 1, proxy_countries: { US: 3 } });
    expect((await client.refreshSubUser(2)).id).toBe(2);
    const refused = await expectFailure(client.refreshSubUser(1), WebshareBadRequestError);
    expect(refused.detail).toMatch(/custom proxy list/);
    await client.deleteSubUser(2);
    await expectFailure(client.getSubUser(2), WebshareNotFoundError);
    await expectFailure(client.deleteSubUser(2), WebshareNotFoundError);
  });

  it('reads as a sub-user with X-Webshare-SubUser: its credentials, list and usage', async () => {
    const { client, sim } = harness({ proxyCount: 50 });
    const user = await client.createSubUser({
      label: 'cust',
      proxy_limit: 2,
      proxy_countries: { DE: 4, GB: 1 },
    });
    sim.control.setSubUserUsage(user.id, 1024 ** 3);
    const view = client.asSubUser(user.id);
    const config = await view.getProxyConfig();
    expect(config).toMatchObject({ username: user.proxy_username, password: user.proxy_password });
    const list = await view.listProxies();
    expect(list.count).toBe(5);
    expect(list.results.every((p) => p.username?.startsWith(user.proxy_username))).toBe(true);
    expect(list.results.map((p) => p.country_code).sort()).toEqual(['DE', 'DE', 'DE', 'DE', 'GB']);
    expect((await view.listProxies({ countries: ['GB'] })).count).toBe(1);
    expect(await view.getProxyStats()).toMatchObject({
      bandwidth_used: 1024 ** 3,
      bandwidth_limit: 2 * 1024 ** 3,
      bandwidth_remaining: 1024 ** 3,
    });
    expect(sim.requests.filter((r) => r.subUser === user.id)).toHaveLength(4);
    await expectFailure(client.asSubUser(99).getProxyStats(), WebshareNotFoundError);
  });
});
