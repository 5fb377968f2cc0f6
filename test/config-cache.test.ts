import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { configFor } from '../src/config';
import type { Env } from '../src/env';

function envWith(vars: Partial<Env>): Env {
  return { STATE: (env as unknown as Env).STATE, ...vars } as Env;
}

describe('config parsed once per isolate', () => {
  it('parses an env once and hands every later request the same config', async () => {
    const one = envWith({
      ADMIN_TOKEN: 'token-one-0123456789-abcdefgh',
      PLANS: '{"starter":{"proxy_limit":5}}',
    });
    const first = await configFor(one);
    expect(await configFor(one)).toBe(first);
    expect(first.adminToken).toBe('token-one-0123456789-abcdefgh');
  });

  it('gives two env objects two configs, each from its own values', async () => {
    const one = envWith({ ADMIN_TOKEN: 'token-one-0123456789-abcdefgh' });
    const two = envWith({ ADMIN_TOKEN: 'token-two-0123456789-abcdefgh' });
    expect((await configFor(one)).adminToken).toBe('token-one-0123456789-abcdefgh');
    expect((await configFor(two)).adminToken).toBe('token-two-0123456789-abcdefgh');
    expect(await configFor(one)).not.toBe(await configFor(two));
  });

  it('parses again when a value of the same env object changed, instead of serving the old config', async () => {
    const mutable = envWith({ ADMIN_TOKEN: 'token-old-0123456789-abcdefgh' }) as Env &
      Record<string, unknown>;
    expect((await configFor(mutable)).adminToken).toBe('token-old-0123456789-abcdefgh');
    mutable.ADMIN_TOKEN = 'token-new-0123456789-abcdefgh';
    expect((await configFor(mutable)).adminToken).toBe('token-new-0123456789-abcdefgh');
    mutable.SUBREQUEST_BUDGET = '40';
    expect((await configFor(mutable)).subrequestBudget).toBe(40);
  });

  it('authorises each request against the token of the env it came with', async () => {
    const app = createApp();
    const one = envWith({ ADMIN_TOKEN: 'token-one-0123456789-abcdefgh' });
    const two = envWith({ ADMIN_TOKEN: 'token-two-0123456789-abcdefgh' });
    const silences = (token: string, e: Env) =>
      app.request('/v1/silences', { headers: { Authorization: `Bearer ${token}` } }, e);
    expect((await silences('token-one-0123456789-abcdefgh', one)).status).toBe(200);
    expect((await silences('token-one-0123456789-abcdefgh', two)).status).toBe(401);
    expect((await silences('token-two-0123456789-abcdefgh', two)).status).toBe(200);
    expect((await silences('token-two-0123456789-abcdefgh', one)).status).toBe(401);
  });
});
