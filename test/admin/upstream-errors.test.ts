import { describe, expect, it } from 'vitest';
import { API_KEY, call, errorOf, useSimulator } from './helpers';
import { WIRE } from '../helpers/wire';

describe('upstream failures map honestly', () => {
  const sim = useSimulator();

  it("maps Webshare's 400 to 422 with its field messages", async () => {
    sim().control.inject({
      path: WIRE.subusers,
      method: 'POST',
      status: 400,
      body: JSON.stringify({ label: ['A user with this label already exists.'] }),
    });
    const response = await call('/v1/subusers', { method: 'POST', json: { label: 'dup', proxy_limit: 1 } });
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe('webshare_rejected');
    expect(error.message).toContain('label: A user with this label already exists.');
    expect(error.details).toEqual({ fields: { label: ['A user with this label already exists.'] } });
  });

  it('maps a rejected Webshare API key (401) to 502 and never echoes the key', async () => {
    sim().control.revokeKey();
    const response = await call('/v1/subscription');
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).not.toContain(API_KEY);
    const error = (JSON.parse(text) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('webshare_auth_failed');
    expect(error.message).toContain('Webshare API key was rejected');
  });

  it("maps Webshare's 404 to 404", async () => {
    const response = await call('/v1/subusers/987654');
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('not_found');
  });

  it("maps Webshare's 429 to 429 with its Retry-After", async () => {
    sim().control.inject({ path: WIRE.subscription, status: 429, retryAfter: '37' });
    const response = await call('/v1/subscription');
    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toBe('37');
    expect((await errorOf(response)).code).toBe('webshare_rate_limited');
  });

  it('retries a read once after a 5xx and succeeds when Webshare recovers', async () => {
    sim().control.inject({ path: WIRE.subscription, status: 500, times: 1 });
    const response = await call('/v1/subscription');
    expect(response.status).toBe(200);
    expect(sim().requests.filter((r) => r.path === WIRE.subscription)).toHaveLength(2);
  });

  it.each([
    [500, 502, 'webshare_error'],
    [502, 502, 'webshare_error'],
    [503, 503, 'webshare_unavailable'],
  ])('maps a persistent Webshare %i to %i', async (upstream, status, code) => {
    sim().control.inject({ path: WIRE.quotas, status: upstream });
    const response = await call('/v1/replacement-info');
    expect(response.status).toBe(status);
    expect((await errorOf(response)).code).toBe(code);
  });

  it('maps a write that failed with 5xx to 502 without retrying it (it may have been done)', async () => {
    sim().control.inject({ path: WIRE.replacements, method: 'POST', status: 500 });
    const address = sim().state.proxies.address(0);
    const response = await call('/v1/proxies/replace', { method: 'POST', json: { ip_address: address } });
    expect(response.status).toBe(502);
    expect(sim().requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('maps a dropped connection to 502 and an unreadable 200 to 502', async () => {
    sim().control.inject({ path: WIRE.proxyConfig, networkError: true });
    const dropped = await call('/v1/proxy-config');
    expect(dropped.status).toBe(502);
    expect((await errorOf(dropped)).code).toBe('webshare_unreachable');

    sim().control.clearFaults();
    sim().control.inject({ path: WIRE.proxyConfig, malformedJson: true });
    const garbled = await call('/v1/proxy-config');
    expect(garbled.status).toBe(502);
    const text = await garbled.text();
    expect(text).toContain('webshare_bad_response');
    expect(text).not.toContain(sim().state.config.password);
  });

  it('maps a Webshare that does not answer in time to 504', { timeout: 30_000 }, async () => {
    // Writes are never retried after a timeout, so this takes one client timeout (10 s), not two.
    sim().control.inject({ path: WIRE.replacements, method: 'POST', delayMs: 12_000 });
    const address = sim().state.proxies.address(0);
    const response = await call('/v1/proxies/replace', { method: 'POST', json: { ip_address: address } });
    expect(response.status).toBe(504);
    expect((await errorOf(response)).code).toBe('webshare_timeout');
  });
});
