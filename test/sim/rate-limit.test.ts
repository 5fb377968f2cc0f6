/** The documented limits on the simulator clock: 180/min general, 60/min proxy list, sliding 60 s. */
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../sim';
import { call } from './call';

describe('simulator rate limiting', () => {
  it('throttles the 181st general request in a minute, with Retry-After, until the window slides', async () => {
    const sim = createSimulator();
    for (let i = 0; i < 90; i++) expect((await call(sim, '/api/profile/')).status).toBe(200);
    sim.control.advance(30);
    for (let i = 0; i < 90; i++) expect((await call(sim, '/api/proxy/stats/')).status).toBe(200);
    const throttled = await call(sim, '/api/subscription/');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('Retry-After')).toBe('30');
    expect(throttled.body).toEqual({ detail: 'Request was throttled. Expected available in 30 seconds.' });
    sim.control.advance(29);
    expect((await call(sim, '/api/subscription/')).headers.get('Retry-After')).toBe('1');
    sim.control.advance(1);
    // The first 90 left the window; the throttled requests were never counted.
    for (let i = 0; i < 90; i++) expect((await call(sim, '/api/profile/')).status).toBe(200);
    expect((await call(sim, '/api/profile/')).status).toBe(429);
  });

  it('keeps the proxy-list bucket (60/min) apart from the general one', async () => {
    const sim = createSimulator({ proxyCount: 5 });
    for (let i = 0; i < 60; i++) expect((await call(sim, '/api/proxy/list/')).status).toBe(200);
    const throttled = await call(sim, '/api/proxy/list/');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('Retry-After')).toBe('60');
    expect((await call(sim, '/api/profile/')).status).toBe(200);
    const byBucket = (bucket: string, status: number) =>
      sim.requests.filter((r) => r.bucket === bucket && r.status === status).length;
    expect([byBucket('proxyList', 200), byBucket('proxyList', 429), byBucket('general', 200)]).toEqual([
      60, 1, 1,
    ]);
  });

  it('counts masquerading list requests in the proxy-list bucket too', async () => {
    const sim = createSimulator({ proxyCount: 5 });
    await call(sim, '/api/subuser/', { method: 'POST', body: { label: 'a', proxy_limit: 1 } });
    for (let i = 0; i < 60; i++)
      await call(sim, '/api/proxy/list/', { headers: { 'X-Webshare-SubUser': '1' } });
    expect((await call(sim, '/api/proxy/list/')).status).toBe(429);
  });

  it('does not throttle when enforceRateLimits is false, or after setEnforceRateLimits(false)', async () => {
    const sim = createSimulator({ enforceRateLimits: false, proxyCount: 1 });
    for (let i = 0; i < 70; i++) expect((await call(sim, '/api/proxy/list/')).status).toBe(200);
    const other = createSimulator({ proxyCount: 1 });
    other.control.setEnforceRateLimits(false);
    for (let i = 0; i < 70; i++) expect((await call(other, '/api/proxy/list/')).status).toBe(200);
    other.control.reset();
    expect(other.state.options.enforceRateLimits).toBe(true);
  });
});
