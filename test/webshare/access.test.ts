/**
 * Proxy access (authorised IPs, password reset) on both Webshare dialects, against the simulator's
 * v1 and v2 endpoints over one account state: the same edits give the same sets, writes happen only
 * for what changed, the ceiling is checked before any write, and a v2 change that fails part-way says
 * what it already did.
 */
import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../sim';
import {
  AUTHORIZED_IPS_MAX,
  AuthorizedIpsIncompleteError,
  AuthorizedIpsLimitError,
  GENERATED_PASSWORD_LENGTH,
  adding,
  generateProxyPassword,
  removing,
  replaceWith,
} from '../../src/webshare/access';
import { connectDialect } from '../../src/webshare/dialects';
import type { WebshareDialect } from '../../src/webshare/port';
import { WebshareServerError } from '../../src/webshare/errors';
import { routeOutbound } from '../helpers/outbound';
import { API_KEY, BASE_URL } from './harness';

function rig(dialect: WebshareDialect, newPassword?: () => string) {
  const sim = createSimulator();
  routeOutbound({ 'webshare.sim': sim.fetch });
  const access = connectDialect(dialect, {
    apiKey: API_KEY,
    baseUrl: BASE_URL,
    sleep: async () => {},
    newPassword,
  });
  return { sim, access };
}

const writes = (sim: Simulator) => sim.requests.filter((r) => r.method !== 'GET');

describe.each(['v1', 'v2'] as const)('proxy access through the port on %s', (dialect) => {
  it('replaces the set and reports what was added and removed', async () => {
    const { sim, access } = rig(dialect);
    sim.state.config.authorized_ips = ['198.51.100.1', '198.51.100.2'];
    const change = await access.updateAuthorizedIps(replaceWith(['198.51.100.2', '203.0.113.9']));
    expect(change).toEqual({
      added: ['203.0.113.9'],
      removed: ['198.51.100.1'],
      authorized_ips: ['198.51.100.2', '203.0.113.9'],
    });
    expect([...sim.state.config.authorized_ips].sort()).toEqual(['198.51.100.2', '203.0.113.9']);
    expect((await access.listAuthorizedIps()).sort()).toEqual(['198.51.100.2', '203.0.113.9']);
  });

  it('adds and removes single addresses, collapsing spellings of one IPv6 address', async () => {
    const { sim, access } = rig(dialect);
    await access.updateAuthorizedIps(adding(['2001:DB8:0::1', '2001:db8::1', '192.0.2.4']));
    expect(sim.state.config.authorized_ips).toEqual(['2001:db8::1', '192.0.2.4']);
    const change = await access.updateAuthorizedIps(removing(['2001:db8:0:0::1']));
    expect(change).toEqual({ added: [], removed: ['2001:db8::1'], authorized_ips: ['192.0.2.4'] });
    expect(sim.state.config.authorized_ips).toEqual(['192.0.2.4']);
  });

  it('writes nothing when the edit changes nothing', async () => {
    const { sim, access } = rig(dialect);
    sim.state.config.authorized_ips = ['192.0.2.4'];
    const change = await access.updateAuthorizedIps(adding(['192.0.2.4']));
    expect(change).toEqual({ added: [], removed: [], authorized_ips: ['192.0.2.4'] });
    expect(writes(sim)).toEqual([]);
  });

  it(`refuses more than ${AUTHORIZED_IPS_MAX} addresses before writing anything`, async () => {
    const { sim, access } = rig(dialect);
    const many = Array.from({ length: AUTHORIZED_IPS_MAX + 1 }, (_, i) => `192.0.2.${i + 1}`);
    await expect(access.updateAuthorizedIps(replaceWith(many))).rejects.toBeInstanceOf(
      AuthorizedIpsLimitError,
    );
    expect(writes(sim)).toEqual([]);
    expect(sim.state.config.authorized_ips).toEqual([]);
  });

  it('resets the proxy password: the new one is what Webshare now holds', async () => {
    const { sim, access } = rig(dialect);
    const before = sim.state.config.password;
    const credentials = await access.resetPassword();
    expect(credentials.password).not.toBe(before);
    expect(credentials).toEqual({ username: sim.state.config.username, password: sim.state.config.password });
  });
});

describe('proxy access on v2: the calls it makes', () => {
  it('lists with page_size, POSTs one address per add and DELETEs by id (204) per removal', async () => {
    const { sim, access } = rig('v2');
    sim.state.config.authorized_ips = ['198.51.100.1'];
    await access.updateAuthorizedIps(replaceWith(['203.0.113.9', '203.0.113.10']));
    const calls = sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(calls).toEqual([
      'GET /api/v2/proxy/ipauthorization/ 200',
      'POST /api/v2/proxy/ipauthorization/ 201',
      'POST /api/v2/proxy/ipauthorization/ 201',
      expect.stringMatching(/^DELETE \/api\/v2\/proxy\/ipauthorization\/\d+\/ 204$/),
    ]);
    expect(sim.requests[0]!.query).toMatchObject({ page: '1', page_size: '100' });
  });

  it('says what it already did when a change fails part-way', async () => {
    const { sim, access } = rig('v2');
    sim.state.config.authorized_ips = ['198.51.100.1'];
    sim.control.inject({ path: '/api/v2/proxy/ipauthorization/*', method: 'DELETE', status: 500 });
    const error = await access.updateAuthorizedIps(replaceWith(['203.0.113.9'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizedIpsIncompleteError);
    expect((error as AuthorizedIpsIncompleteError).applied).toEqual({ added: ['203.0.113.9'], removed: [] });
    expect((error as Error).cause).toBeInstanceOf(WebshareServerError);
    expect(sim.state.config.authorized_ips).toEqual(['198.51.100.1', '203.0.113.9']);
  });

  it('sets a password it generated with PATCH /api/v2/proxy/config/', async () => {
    const { sim, access } = rig('v2', () => 'Fixed1Password2Here3');
    const credentials = await access.resetPassword();
    expect(credentials.password).toBe('Fixed1Password2Here3');
    expect(sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'PATCH /api/v2/proxy/config/ 200',
    ]);
  });

  it('passes on Webshare’s refusal of a password (the simulator applies the documented rule)', async () => {
    const { sim, access } = rig('v2', () => 'password');
    await expect(access.resetPassword()).rejects.toMatchObject({
      status: 400,
      fieldErrors: { password: ['This password is too common.'] },
    });
    expect(sim.state.passwordGeneration).toBe(0);
  });
});

describe('generateProxyPassword', () => {
  it('makes 24 alphanumerics with a digit, a lower- and an upper-case letter, differently each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = generateProxyPassword();
      expect(password).toMatch(new RegExp(`^[A-Za-z0-9]{${GENERATED_PASSWORD_LENGTH}}$`));
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      seen.add(password);
    }
    expect(seen.size).toBe(200);
  });

  it('draws again instead of folding bytes above the last multiple of 62 (no letter is likelier)', () => {
    // 248..255 must be skipped: with them folded, 'A'..'H' would come up more often.
    const bytes = [255, 248, 0, 61, 26, 52, ...Array(100).fill(1)];
    const password = generateProxyPassword((buffer) => {
      buffer.set(bytes.splice(0, buffer.length));
      return buffer;
    });
    expect(password.slice(0, 4)).toBe('A9a0');
  });
});
