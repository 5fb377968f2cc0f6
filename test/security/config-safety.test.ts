/**
 * Outbound URLs carry secrets (the Webshare key, webhook tokens), so they must be https, except to
 * loopback hosts; admin tokens must be long enough not to be guessed. Both are config problems,
 * named by variable, that the real app reports on /healthz (with a token) and acts on.
 */
import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { Env } from '../../src/env';

const ADMIN_TOKEN = 'test-admin-token-0123456789';

async function call(path: string, extraEnv: Partial<Env>, token: string | null = ADMIN_TOKEN) {
  const response = await createApp().request(
    `https://worker.test${path}`,
    token ? { headers: { Authorization: `Bearer ${token}` } } : {},
    { ...(env as unknown as Env), ...extraEnv },
    createExecutionContext(),
  );
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function problems(extraEnv: Partial<Env>): Promise<{ variable: string; message: string }[]> {
  return (await call('/healthz', extraEnv)).body.config.problems;
}

describe('outbound URLs accept https, or http only to loopback hosts', () => {
  it.each([
    ['WEBSHARE_API_BASE_URL', 'http://proxy.webshare.io'],
    ['WEBSHARE_API_BASE_URL', 'http://10.0.0.5:8080'],
    ['WEBSHARE_API_BASE_URL', 'http://127.evil.example'],
    ['DISCORD_API_BASE_URL', 'http://discord.com/api/v10'],
    ['SLACK_WEBHOOK_URL', 'http://hooks.slack.com/services/T0/B0/secret'],
    ['DISCORD_WEBHOOK_URL', 'http://discord.com/api/webhooks/1/secret'],
    ['ALERT_WEBHOOK_URL', 'http://alerts.example/hook'],
    ['WEBSHARE_API_BASE_URL', 'ftp://proxy.webshare.io'],
  ] as const)('reports %s = %s as a config problem naming the variable', async (variable, value) => {
    const found = await problems({ [variable]: value, ALERT_WEBHOOK_SECRET: 'whsec_test' });
    expect(found).toEqual([expect.objectContaining({ variable })]);
    expect(found[0]!.message).toContain(variable);
    // Webhook URLs embed tokens: the problem never echoes the value.
    expect(JSON.stringify(found)).not.toContain(value);
  });

  it.each([
    'https://webshare.sim',
    'http://localhost:8787',
    'http://127.0.0.1:9080',
    'http://127.1.2.3',
    'http://[::1]:9080',
  ])('accepts %s for WEBSHARE_API_BASE_URL', async (value) => {
    expect(await problems({ WEBSHARE_API_BASE_URL: value })).toEqual([]);
  });

  it('falls back to the real https Webshare origin, never the http one, after a problem', async () => {
    const config = await loadConfig({
      ...(env as unknown as Env),
      WEBSHARE_API_BASE_URL: 'http://proxy.webshare.io',
    });
    expect(config.webshareBaseUrl).toBe('https://proxy.webshare.io');
  });
});

describe('PUBLIC_URL must be https, except on loopback', () => {
  // The dashboard's login form and session cookie travel to PUBLIC_URL: http would send them in clear.
  it.each([
    'http://ops.example.internal',
    'http://ops.example.com/dashboard',
    'http://10.0.0.5:8787',
    'http://127.evil.example',
    'ftp://ops.example.com',
    'not a url',
  ])('reports PUBLIC_URL = %s as a config problem and leaves the links out', async (value) => {
    const found = await problems({ PUBLIC_URL: value });
    expect(found).toEqual([expect.objectContaining({ variable: 'PUBLIC_URL' })]);
    expect(found[0]!.message).toContain('https');
    expect(JSON.stringify(found)).not.toContain(value);
    expect(
      (await loadConfig({ ...(env as unknown as Env), PUBLIC_URL: value })).dashboardUrl,
    ).toBeUndefined();
  });

  it.each([
    ['https://ops.example.com', 'https://ops.example.com/dashboard'],
    ['https://example.com/ops/', 'https://example.com/ops/dashboard'],
    ['http://localhost:8787', 'http://localhost:8787/dashboard'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787/dashboard'],
    ['http://127.1.2.3', 'http://127.1.2.3/dashboard'],
    ['http://[::1]:8787', 'http://[::1]:8787/dashboard'],
  ])('accepts PUBLIC_URL = %s and links to %s', async (value, dashboard) => {
    expect(await problems({ PUBLIC_URL: value })).toEqual([]);
    expect((await loadConfig({ ...(env as unknown as Env), PUBLIC_URL: value })).dashboardUrl).toBe(
      dashboard,
    );
  });
});

describe('admin tokens shorter than 24 characters', () => {
  it('report a short ADMIN_TOKEN and refuse it, saying why', async () => {
    const short = 'short-admin-token-12345'; // 23 characters
    const { status, body } = await call('/v1/status', { ADMIN_TOKEN: short }, short);
    expect(status).toBe(503);
    expect(body.error.details).toEqual({ variable: 'ADMIN_TOKEN' });
    expect(body.error.message).toContain('shorter than 24 characters');
    expect(JSON.stringify(body)).not.toContain(short);
    const health = await call('/healthz', { ADMIN_TOKEN: short }, null);
    expect(health.body.reasons).toContain('config_invalid');
  });

  it('report a short ADMIN_READ_TOKEN and refuse it while the admin token works', async () => {
    const short = 'read-only-token-abcdef';
    const reader = await call('/v1/subusers', { ADMIN_READ_TOKEN: short }, short);
    expect(reader.status).toBe(401);
    const found = await problems({ ADMIN_READ_TOKEN: short });
    expect(found).toEqual([expect.objectContaining({ variable: 'ADMIN_READ_TOKEN' })]);
    expect(JSON.stringify(found)).not.toContain(short);
  });

  it('accept a 24-character token', async () => {
    const token = 'exactly-24-characters-ok';
    expect(token).toHaveLength(24);
    const { body } = await call('/healthz', { ADMIN_TOKEN: token }, token);
    // The token was accepted (the details are there) and nothing is wrong with the config.
    expect(body.config).toEqual({ ok: true, problems: [] });
  });
});

describe('METRICS_TOKEN shorter than 24 characters', () => {
  const ADMIN_READ = 'read-only-token-abcdef-0123456789';
  async function scrape(metricsToken: string, bearer: string, extraEnv: Partial<Env> = {}) {
    const response = await createApp().request(
      'https://worker.test/metrics',
      { headers: { Authorization: `Bearer ${bearer}` } },
      { ...(env as unknown as Env), METRICS_TOKEN: metricsToken, ...extraEnv },
      createExecutionContext(),
    );
    return { status: response.status, text: await response.text() };
  }

  it.each(['x', 'metrics', 'short-metrics-token-1234'.slice(0, 23)])(
    'reports METRICS_TOKEN = %j as a config problem and refuses it on /metrics',
    async (short) => {
      const found = await problems({ METRICS_TOKEN: short });
      expect(found).toEqual([expect.objectContaining({ variable: 'METRICS_TOKEN' })]);
      expect(found[0]!.message).toContain('shorter than 24 characters');
      expect(JSON.stringify(found)).not.toContain(`"${short}"`);
      const refused = await scrape(short, short);
      expect(refused.status).toBe(401);
      expect(refused.text).not.toContain('webshare_');
      // The admin tokens keep working.
      expect((await scrape(short, ADMIN_TOKEN)).status).toBe(200);
      expect((await scrape(short, ADMIN_READ, { ADMIN_READ_TOKEN: ADMIN_READ })).status).toBe(200);
    },
  );

  it('says why /metrics is refused when the short METRICS_TOKEN is the only token', async () => {
    const { status, text } = await scrape('x', 'x', { ADMIN_TOKEN: '' });
    expect(status).toBe(503);
    expect(text).toContain('METRICS_TOKEN is shorter than 24 characters');
  });

  it('accepts a 24-character METRICS_TOKEN', async () => {
    const token = 'exactly-24-characters-ok';
    expect(await problems({ METRICS_TOKEN: token })).toEqual([]);
    expect((await scrape(token, token)).status).toBe(200);
  });
});

describe('LOG_LEVEL', () => {
  it('takes debug, info, warn and error in any case, and reports anything else, falling back to info', async () => {
    for (const level of ['debug', 'INFO', 'warn', 'error']) {
      expect((await loadConfig({ ...(env as unknown as Env), LOG_LEVEL: level })).logLevel).toBe(
        level.toLowerCase(),
      );
    }
    expect((await loadConfig(env as unknown as Env)).logLevel).toBe('info');
    expect(await problems({ LOG_LEVEL: 'verbose' })).toEqual([
      { variable: 'LOG_LEVEL', message: 'must be one of debug, info, warn, error; using info' },
    ]);
    expect((await loadConfig({ ...(env as unknown as Env), LOG_LEVEL: 'verbose' })).logLevel).toBe('info');
  });
});
