import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, callWithEnv, errorOf, useSimulator } from './helpers';

const READ_TOKEN = 'test-read-token-abcdef012345';

describe('admin auth', () => {
  const sim = useSimulator();

  it('lets the read-only token call GET routes', async () => {
    const response = await callWithEnv(
      '/v1/subscription',
      { ADMIN_READ_TOKEN: READ_TOKEN },
      { token: READ_TOKEN },
    );
    expect(response.status).toBe(200);
  });

  it.each([
    ['POST', '/v1/proxy-list/refresh', undefined],
    ['POST', '/v1/proxies/replace', { ip_address: '10.0.0.1' }],
    ['POST', '/v1/subusers', { label: 'x', proxy_limit: 1 }],
    ['PATCH', '/v1/subusers/1', { label: 'y' }],
    ['DELETE', '/v1/subusers/1', undefined],
    ['POST', '/v1/subusers/1/refresh', undefined],
  ])('refuses the read-only token on %s %s with 403, before calling Webshare', async (method, path, json) => {
    const response = await callWithEnv(
      path,
      { ADMIN_READ_TOKEN: READ_TOKEN },
      { method, json, token: READ_TOKEN },
    );
    expect(response.status).toBe(403);
    expect((await errorOf(response)).message).toContain('ADMIN_READ_TOKEN');
    expect(sim().requests).toHaveLength(0);
  });

  it('fails closed when ADMIN_TOKEN is unset, naming the variable (even for a token that used to work)', async () => {
    const response = await callWithEnv('/v1/subusers', { ADMIN_TOKEN: undefined }, { token: ADMIN_TOKEN });
    expect(response.status).toBe(503);
    const error = await errorOf(response);
    expect(error.code).toBe('not_configured');
    expect(error.message).toContain('ADMIN_TOKEN');
    expect(sim().requests).toHaveLength(0);
  });

  it('answers 503 naming WEBSHARE_API_KEY when the key is unset, and never calls Webshare', async () => {
    const response = await callWithEnv('/v1/subscription', { WEBSHARE_API_KEY: undefined });
    expect(response.status).toBe(503);
    expect((await errorOf(response)).message).toContain('WEBSHARE_API_KEY');
    expect(sim().requests).toHaveLength(0);
  });

  it('does not accept the token in another scheme', async () => {
    const response = await callWithEnv(
      '/v1/subscription',
      {},
      {
        token: null,
        headers: { Authorization: `Basic ${ADMIN_TOKEN}` },
      },
    );
    expect(response.status).toBe(401);
  });
});
