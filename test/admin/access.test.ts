/**
 * Proxy access through the real app against the simulator: GET/PATCH /v1/proxy-config with
 * `authorized_ips` and POST /v1/proxy-config/reset-password (Idempotency-Key, the password only in
 * its answer, announced on the channels without it). Writes need the admin token.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSimulator, type Simulator } from '../../sim';
import type { Env } from '../../src/env';
import { mapError } from '../../src/error-mapping';
import { AuthorizedIpsIncompleteError } from '../../src/webshare/access';
import { WebshareServerError } from '../../src/webshare/errors';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { callWithEnv, errorOf, type CallOptions } from './helpers';
import { WIRE } from '../helpers/wire';

const READ_TOKEN = 'test-read-token-abcdef0123456789';
const SLACK_URL = 'https://slack.sink/services/T1/B1/token';
const HOOK_URL = 'https://hook.sink/alerts';
const HOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const RESET_PATH = WIRE.passwordReset;

let sim: Simulator;
let slack: RecordingSink;
let hook: RecordingSink;
let logs: string[];

beforeEach(() => {
  sim = createSimulator();
  slack = new RecordingSink();
  hook = new RecordingSink();
  routeOutbound({ 'webshare.sim': sim.fetch, 'slack.sink': slack.fetch, 'hook.sink': hook.fetch });
  logs = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

const ENV: Partial<Record<keyof Env, unknown>> = {
  ADMIN_READ_TOKEN: READ_TOKEN,
  SLACK_WEBHOOK_URL: SLACK_URL,
  ALERT_WEBHOOK_URL: HOOK_URL,
  ALERT_WEBHOOK_SECRET: HOOK_SECRET,
};
const api = (path: string, options: CallOptions = {}) => callWithEnv(path, ENV, options);
const patchIps = (authorized_ips: unknown, token?: string) =>
  api('/v1/proxy-config', { method: 'PATCH', json: { authorized_ips }, token });
const writesAtWebshare = () => sim.requests.filter((r) => r.method !== 'GET');
const newKey = () => `reset-${crypto.randomUUID()}`;
const reset = (key: string | undefined, json?: unknown, token?: string) =>
  api('/v1/proxy-config/reset-password', {
    method: 'POST',
    json,
    token,
    headers: key ? { 'Idempotency-Key': key } : {},
  });

describe('GET /v1/proxy-config', () => {
  it('shows the authorised IPs beside the existing fields', async () => {
    sim.state.config.authorized_ips = ['198.51.100.7'];
    const response = await api('/v1/proxy-config');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.authorized_ips).toEqual(['198.51.100.7']);
    expect(Object.keys(body).sort()).toEqual([
      'authorized_ips',
      'countries',
      'download_links',
      'password',
      'username',
    ]);
  });
});

describe('PATCH /v1/proxy-config', () => {
  it('replaces the set, answers what changed and announces it', async () => {
    sim.state.config.authorized_ips = ['198.51.100.1', '198.51.100.2'];
    const response = await patchIps(['198.51.100.2', '203.0.113.9', '2001:DB8::1', '2001:db8:0::1']);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      added: ['203.0.113.9', '2001:db8::1'],
      removed: ['198.51.100.1'],
      authorized_ips: ['198.51.100.2', '203.0.113.9', '2001:db8::1'],
    });
    expect(sim.state.config.authorized_ips).toEqual(['198.51.100.2', '203.0.113.9', '2001:db8::1']);
    const message = JSON.stringify(slack.json(0));
    expect(message).toContain('Authorised IPs changed');
    expect(message).toContain('203.0.113.9, 2001:db8::1');
    expect(message).toContain('198.51.100.1');
  });

  it('writes and announces nothing when the set is already the one asked for', async () => {
    sim.state.config.authorized_ips = ['198.51.100.2'];
    const response = await patchIps(['198.51.100.2']);
    expect(await response.json()).toEqual({ added: [], removed: [], authorized_ips: ['198.51.100.2'] });
    expect(writesAtWebshare()).toEqual([]);
    expect(slack.requests).toEqual([]);
  });

  it('removes every address with an empty list', async () => {
    sim.state.config.authorized_ips = ['198.51.100.2'];
    expect(await (await patchIps([])).json()).toMatchObject({
      removed: ['198.51.100.2'],
      authorized_ips: [],
    });
    expect(sim.state.config.authorized_ips).toEqual([]);
  });

  it.each([
    ['a CIDR range', ['10.0.0.0/24'], 'CIDR ranges are not accepted'],
    ['a host name', ['proxy.example.com'], 'expected an IPv4 or IPv6 address'],
    ['an out-of-range octet', ['203.0.113.256'], 'expected an IPv4 or IPv6 address'],
    ['a number', [42], 'expected string'],
    ['more than 20 addresses', Array.from({ length: 21 }, (_, i) => `192.0.2.${i + 1}`), 'at most 20'],
    ['not a list', '203.0.113.9', 'expected array'],
  ])('refuses %s with 400 naming the field, changing nothing', async (_what, ips, message) => {
    sim.state.config.authorized_ips = ['198.51.100.2'];
    const response = await patchIps(ips);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/^invalid authorized_ips/);
    expect(JSON.stringify(error.details)).toContain(message);
    expect(sim.requests).toEqual([]);
    expect(sim.state.config.authorized_ips).toEqual(['198.51.100.2']);
  });

  it('refuses any other field of the proxy config', async () => {
    const response = await api('/v1/proxy-config', {
      method: 'PATCH',
      json: { authorized_ips: [], password: 'x' },
    });
    expect(response.status).toBe(400);
    expect(sim.requests).toEqual([]);
  });

  it('is refused to the read-only token with 403, before Webshare is called', async () => {
    const response = await patchIps(['203.0.113.9'], READ_TOKEN);
    expect(response.status).toBe(403);
    expect(sim.requests).toEqual([]);
    expect((await api('/v1/proxy-config', { token: READ_TOKEN })).status).toBe(200);
  });

  it('passes on Webshare’s refusal as 422 with its words', async () => {
    sim.control.inject({
      path: WIRE.authorizeIp,
      method: 'POST',
      status: 400,
      body: JSON.stringify({ authorized_ips: ['Your plan allows 1 authorized IP.'] }),
    });
    const response = await patchIps(['203.0.113.9', '203.0.113.10']);
    expect(response.status).toBe(422);
    expect((await errorOf(response)).message).toContain('Your plan allows 1 authorized IP.');
  });
});

describe('a v2 change that stops part-way', () => {
  it('maps to the failure’s status, naming what was already applied', () => {
    const cause = new WebshareServerError('server error', { method: 'DELETE', path: '/x/', status: 500 });
    const mapped = mapError(
      new AuthorizedIpsIncompleteError({ added: ['203.0.113.9'], removed: [] }, { cause }),
    );
    expect(mapped.status).toBe(502);
    expect(mapped.body.error.code).toBe('authorized_ips_partially_changed');
    expect(mapped.body.error.message).toContain('already applied: added [203.0.113.9], removed []');
    expect(mapped.body.error.details).toMatchObject({ applied: { added: ['203.0.113.9'], removed: [] } });
  });
});

describe('POST /v1/proxy-config/reset-password', () => {
  const resets = () => sim.requests.filter((r) => r.path === RESET_PATH);

  it('answers the new password, which Webshare now holds, and announces the reset without it', async () => {
    const before = sim.state.config.password;
    const response = await reset(newKey(), { reason: 'leaked in a CI log' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.password).not.toBe(before);
    expect(body).toMatchObject({
      username: sim.state.config.username,
      password: sim.state.config.password,
      announced: [
        { channel: 'slack', outcome: 'delivered' },
        { channel: 'webhook', outcome: 'delivered' },
      ],
    });
    expect(Date.parse(body.reset_at as string)).toBeGreaterThan(0);
    for (const sink of [slack, hook]) {
      expect(sink.requests).toHaveLength(1);
      const sent = sink.requests[0]!.body;
      expect(sent).toContain('Proxy password reset');
      expect(sent).toContain('leaked in a CI log');
      expect(sent).toContain('the admin API');
      expect(sent).not.toContain(sim.state.config.password);
      expect(sent).not.toContain(before);
    }
    expect(logs.join('\n')).toContain('proxy password reset');
    expect(logs.join('\n')).not.toContain(sim.state.config.password);
  });

  it('resets once for one Idempotency-Key: a retry replays the same answer', async () => {
    const key = newKey();
    const first = await reset(key);
    const second = await reset(key);
    expect(second.status).toBe(200);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await second.text()).toBe(await first.text());
    expect(resets()).toHaveLength(1);
    expect(slack.requests).toHaveLength(1);
    expect(logs.join('\n')).not.toContain(sim.state.config.password);
  });

  it('refuses the same key with a different body (422) and resets nothing more', async () => {
    const key = newKey();
    await reset(key, { reason: 'rotation' });
    const other = await reset(key, { reason: 'something else' });
    expect(other.status).toBe(422);
    expect((await errorOf(other)).code).toBe('idempotency_key_reused');
    expect(resets()).toHaveLength(1);
  });

  it('answers 409 to a duplicate while the first reset runs', async () => {
    const key = newKey();
    sim.control.inject({ path: RESET_PATH, method: WIRE.passwordResetMethod, delayMs: 1_500, times: 1 });
    const first = reset(key);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const duplicate = await reset(key);
    expect(duplicate.status).toBe(409);
    expect((await errorOf(duplicate)).code).toBe('idempotency_in_progress');
    expect((await first).status).toBe(200);
    expect(resets()).toHaveLength(1);
  });

  it('resets again after a failure that may have reset, so the answer holds the password in force', async () => {
    const key = newKey();
    sim.control.inject({ path: RESET_PATH, method: WIRE.passwordResetMethod, status: 500, times: 1 });
    expect((await reset(key)).status).toBe(502);
    const retry = await reset(key);
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { password: string }).password).toBe(sim.state.config.password);
  });

  it('refuses a bad reason with 400 and resets nothing', async () => {
    const response = await reset(newKey(), { reason: 'x'.repeat(201) });
    expect(response.status).toBe(400);
    expect(sim.requests).toEqual([]);
  });

  it('is refused to the read-only token with 403, resetting nothing', async () => {
    const response = await reset(newKey(), undefined, READ_TOKEN);
    expect(response.status).toBe(403);
    expect(sim.requests).toEqual([]);
    expect(slack.requests).toEqual([]);
  });

  it('is never in /v1/status after a reset', async () => {
    await reset(newKey());
    const status = await api('/v1/status');
    expect(await status.text()).not.toContain(sim.state.config.password);
  });
});
