/** Injected faults: matching by path, prefix and method; `times`; each way of breaking an answer. */
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../sim';
import { call } from './call';

describe('simulator faults', () => {
  it('applies a fault `times` times, then answers normally', async () => {
    const sim = createSimulator();
    sim.control.inject({ path: '/api/profile/', status: 503, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(sim, '/api/profile/')).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(sim.control.listFaults()).toEqual([]);
  });

  it('matches a prefix ending with * and a method, and lasts forever without `times`', async () => {
    const sim = createSimulator();
    sim.control.inject({ path: '/api/subuser/*', method: 'post', status: 500 });
    expect(
      (await call(sim, '/api/subuser/', { method: 'POST', body: { label: 'a', proxy_limit: 1 } })).status,
    ).toBe(500);
    expect((await call(sim, '/api/subuser/9/refresh/', { method: 'POST' })).status).toBe(500);
    expect((await call(sim, '/api/subuser/')).status).toBe(200);
    expect((await call(sim, '/api/subuser/', { method: 'POST', body: {} })).status).toBe(500);
    sim.control.clearFaults();
    expect(
      (await call(sim, '/api/subuser/', { method: 'POST', body: { label: 'a', proxy_limit: 1 } })).status,
    ).toBe(201);
  });

  it('sets Retry-After on an injected 429: 60 by default, the given value, or none', async () => {
    const sim = createSimulator();
    sim.control.inject({ path: '/api/profile/', status: 429, times: 1 });
    sim.control.inject({ path: '/api/profile/', status: 429, retryAfter: '7', times: 1 });
    sim.control.inject({ path: '/api/profile/', status: 429, retryAfter: null, times: 1 });
    const values = [];
    for (let i = 0; i < 3; i++) values.push((await call(sim, '/api/profile/')).headers.get('Retry-After'));
    expect(values).toEqual(['60', '7', null]);
  });

  it('reshapes a real answer: drop, null and add fields, at top level and in each result', async () => {
    const sim = createSimulator({ proxyCount: 3 });
    sim.control.inject({
      path: '/api/proxy/list/',
      dropFields: ['valid'],
      nullFields: ['next', 'city_name'],
      addFields: { extra: true },
      times: 1,
    });
    const page = (await call(sim, '/api/proxy/list/')).body as Record<string, unknown> & {
      results: Record<string, unknown>[];
    };
    expect(page).toMatchObject({ next: null, extra: true, count: 3 });
    expect(page.results.every((p) => !('valid' in p) && p.city_name === null)).toBe(true);
  });

  it('breaks the body: malformed JSON, a replacement body, a delay', async () => {
    const sim = createSimulator();
    sim.control.inject({ path: '/api/profile/', malformedJson: true, times: 1 });
    const broken = await call(sim, '/api/profile/');
    expect([broken.status, broken.body]).toEqual([200, undefined]);
    sim.control.inject({ path: '/api/profile/', body: '<html>maintenance</html>', status: 503, times: 1 });
    expect((await call(sim, '/api/profile/')).text).toBe('<html>maintenance</html>');
    sim.control.inject({ path: '/api/profile/', delayMs: 50, times: 1 });
    const started = Date.now();
    expect((await call(sim, '/api/profile/')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('drops the connection with a TypeError, as fetch does on a reset', async () => {
    const sim = createSimulator();
    sim.control.inject({ path: '/api/profile/', networkError: true, times: 1 });
    await expect(call(sim, '/api/profile/')).rejects.toThrow(TypeError);
    expect(sim.requests[0]?.status).toBe(0);
    expect((await call(sim, '/api/profile/')).status).toBe(200);
  });

  it('acts before authentication, as a broken edge would', async () => {
    const sim = createSimulator();
    sim.control.inject({ path: '/api/*', status: 503 });
    expect((await call(sim, '/api/profile/', { auth: false })).status).toBe(503);
  });
});

describe('simulator request log', () => {
  it('keeps only the newest requestLogLimit entries', async () => {
    const sim = createSimulator({ requestLogLimit: 3 });
    for (const path of ['/api/profile/', '/api/subscription/', '/api/proxy/stats/', '/api/proxy/config/']) {
      await call(sim, path);
    }
    expect(sim.requests.map((r) => r.path)).toEqual([
      '/api/subscription/',
      '/api/proxy/stats/',
      '/api/proxy/config/',
    ]);
  });
});
