/**
 * The client's error handling against the simulator: every documented status, retries (a GET after
 * 503 is retried, a POST after 500 is not), 429 with and without Retry-After, timeouts, dropped
 * connections, unreadable bodies — and the API key in no error message.
 */
import { describe, expect, it } from 'vitest';
import {
  WebshareBadRequestError,
  WebshareForbiddenError,
  WebshareMethodNotAllowedError,
  WebshareNetworkError,
  WebshareNotAcceptableError,
  WebshareNotFoundError,
  WebshareRateLimitError,
  WebshareResponseError,
  WebshareServerError,
  WebshareTimeoutError,
  WebshareUnauthorizedError,
  WebshareUnavailableError,
} from '../../src/webshare/errors';
import { SlidingWindowLimiter } from '../../src/webshare/rate-limits';
import { API_KEY, expectFailure, harness } from './harness';

/** A client fetch that rewrites each request before it leaves, to send what the client never would. */
function rewriting(change: (init: RequestInit) => RequestInit) {
  return (input: Request | string | URL, init?: RequestInit) => fetch(input, change({ ...init }));
}

describe('WebshareClient errors: documented statuses', () => {
  it.each(['strings', 'objects'] as const)('reads 400 field errors in the %s shape', async (shape) => {
    const { client } = harness({ fieldErrorShape: shape });
    const error = await expectFailure(
      client.createSubUser({ label: '', proxy_limit: -1, max_thread_count: 0 }),
      WebshareBadRequestError,
    );
    expect(error.status).toBe(400);
    expect(error.fieldErrors).toEqual({
      label: ['This field may not be blank.'],
      proxy_limit: ['Ensure this value is greater than or equal to 0.'],
      max_thread_count: ['Ensure this value is greater than or equal to 1.'],
    });
    expect(error.message).toContain('label: This field may not be blank.');
  });

  it('gets 401 for a wrong key and for a revoked one, without echoing either key', async () => {
    const { sim, makeClient, client } = harness();
    const wrongKey = 'wrong-key-5b4a3c2d1e';
    const wrong = await expectFailure(
      makeClient({ apiKey: wrongKey }).getProfile(),
      WebshareUnauthorizedError,
      [wrongKey, API_KEY],
    );
    expect(wrong.detail).toBe('Invalid token.');
    sim.control.revokeKey();
    await expectFailure(client.getSubscription(), WebshareUnauthorizedError);
  });

  it('gets 403 when the plan forbids the API (injected)', async () => {
    const { sim, client } = harness();
    sim.control.inject({ path: '/api/subuser/*', status: 403 });
    const error = await expectFailure(client.listSubUsers(), WebshareForbiddenError);
    expect(error.detail).toMatch(/permission/);
  });

  it('gets 404 for an unknown sub-user', async () => {
    const { client } = harness();
    const error = await expectFailure(client.getSubUser(42), WebshareNotFoundError);
    expect(error.detail).toBe('Not found.');
  });

  it('gets 405 for a wrong method and 406 for an Accept without JSON', async () => {
    const { makeClient } = harness();
    const put = makeClient({ fetch: rewriting((init) => ({ ...init, method: 'PUT' })) });
    const notAllowed = await expectFailure(put.getProfile(), WebshareMethodNotAllowedError);
    expect(notAllowed.detail).toBe('Method "PUT" not allowed.');
    const html = makeClient({
      fetch: rewriting((init) => ({ ...init, headers: { ...init.headers, Accept: 'text/html' } })),
    });
    await expectFailure(html.getProfile(), WebshareNotAcceptableError);
  });

  it('gets 500 and 503 once they outlast the retries', async () => {
    const { sim, client } = harness();
    sim.control.inject({ path: '/api/profile/', status: 500 });
    sim.control.inject({ path: '/api/subscription/', status: 503 });
    await expectFailure(client.getProfile(), WebshareServerError);
    await expectFailure(client.getSubscription(), WebshareUnavailableError);
    expect(sim.requests.filter((r) => r.path === '/api/profile/')).toHaveLength(4);
  });
});

describe('WebshareClient errors: retries', () => {
  it('does not repeat a POST after a 500: Webshare may have created the object', async () => {
    const { sim, client } = harness();
    sim.control.inject({ path: '/api/subuser/', method: 'POST', status: 500, times: 1 });
    await expectFailure(client.createSubUser({ label: 'once', proxy_limit: 1 }), WebshareServerError);
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path === '/api/subuser/')).toHaveLength(1);
  });

  it('retries a GET after a 503 and succeeds', async () => {
    const { sim, client, sleeps } = harness();
    sim.control.inject({ path: '/api/proxy/stats/', status: 503, times: 1 });
    expect((await client.getProxyStats()).bandwidth_used).toBeGreaterThan(0);
    expect(sim.requests.map((r) => r.status)).toEqual([503, 200]);
    expect(sleeps).toHaveLength(1);
  });

  it('waits the Retry-After of a 429, then succeeds (a POST too: 429 means nothing was done)', async () => {
    const { sim, client, sleeps } = harness();
    sim.control.inject({ path: '/api/subuser/', method: 'POST', status: 429, retryAfter: '2', times: 1 });
    expect((await client.createSubUser({ label: 'later', proxy_limit: 1 })).id).toBe(1);
    expect(sleeps).toEqual([2000]);
  });

  it('gives up on a 429 without Retry-After: the documented 60 s exceeds maxRetryWaitMs', async () => {
    const { sim, client, sleeps } = harness();
    sim.control.inject({ path: '/api/proxy/stats/', status: 429, retryAfter: null });
    const error = await expectFailure(client.getProxyStats(), WebshareRateLimitError);
    expect(error.retryAfterSeconds).toBe(60);
    expect(sleeps).toEqual([]);
    expect(sim.requests).toHaveLength(1);
  });

  it('meets the simulator’s own 60/min proxy-list throttle with a real Retry-After', async () => {
    const limiter = new SlidingWindowLimiter({ general: 1000, proxyList: 1000, downloadLinks: 1000 });
    const { sim, client } = harness({ proxyCount: 5 }, { limiter });
    for (let i = 0; i < 60; i++) await client.listProxies();
    sim.control.advance(30);
    const error = await expectFailure(client.listProxies(), WebshareRateLimitError);
    expect(error.retryAfterSeconds).toBe(30);
    expect(error.detail).toBe('Request was throttled. Expected available in 30 seconds.');
  });
});

describe('WebshareClient errors: transport and body', () => {
  it('times out when the answer is slower than timeoutMs', async () => {
    const { sim, makeClient } = harness();
    sim.control.inject({ path: '/api/profile/', delayMs: 300 });
    const client = makeClient({ timeoutMs: 30, maxAttempts: 1 });
    await expectFailure(client.getProfile(), WebshareTimeoutError);
  });

  it('reports a dropped connection as a network error', async () => {
    const { sim, makeClient } = harness();
    sim.control.inject({ path: '/api/profile/', networkError: true });
    await expectFailure(makeClient({ maxAttempts: 1 }).getProfile(), WebshareNetworkError);
    expect(sim.requests[0]?.status).toBe(0);
  });

  it('rejects malformed JSON and a dropped required field as WebshareResponseError', async () => {
    const { sim, client } = harness();
    sim.control.inject({ path: '/api/proxy/stats/', malformedJson: true, times: 1 });
    await expectFailure(client.getProxyStats(), WebshareResponseError);
    sim.control.inject({ path: '/api/proxy/stats/', dropFields: ['bandwidth_used'], times: 1 });
    const dropped = await expectFailure(client.getProxyStats(), WebshareResponseError);
    expect(dropped.message).toContain('bandwidth_used');
    sim.control.inject({ path: '/api/proxy/list/', dropFields: ['proxy_address'], times: 1 });
    const inList = await expectFailure(client.listProxies(), WebshareResponseError);
    expect(inList.message).toContain('results.0.proxy_address');
    expect(inList.message).not.toContain(sim.state.config.password);
  });
});
