/** The simulator speaks Webshare's HTTP: auth, trailing slashes, methods, negotiation, DRF bodies. */
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../sim';
import { call } from './call';

describe('simulator protocol', () => {
  it('answers 401 Invalid token without a key, with a wrong key, or after revokeKey()', async () => {
    const sim = createSimulator();
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: 'Token nope' },
      { Authorization: 'Bearer test-api-key-9f8e7d6c' },
    ];
    for (const headers of attempts) {
      const answer = await call(sim, '/api/profile/', { auth: false, headers });
      expect([answer.status, answer.body]).toEqual([401, { detail: 'Invalid token.' }]);
    }
    sim.control.revokeKey();
    expect((await call(sim, '/api/profile/')).status).toBe(401);
    sim.control.setApiKey('rotated-key');
    expect(
      (await call(sim, '/api/profile/', { headers: { Authorization: 'Token rotated-key' } })).status,
    ).toBe(200);
  });

  it.each([
    ['/api/profile', 'GET', 404, { detail: 'Not found.' }],
    ['/api/nothing/', 'GET', 404, { detail: 'Not found.' }],
    ['/api/profile/', 'POST', 405, { detail: 'Method "POST" not allowed.' }],
    ['/api/subuser/1/refresh/', 'GET', 405, { detail: 'Method "GET" not allowed.' }],
    ['/api/proxy/replacement/', 'DELETE', 405, { detail: 'Method "DELETE" not allowed.' }],
  ])('%s with %s → %i', async (path, method, status, body) => {
    const answer = await call(createSimulator(), path, { method });
    expect([answer.status, answer.body]).toEqual([status, body]);
  });

  it('lists the allowed methods on 405', async () => {
    const answer = await call(createSimulator(), '/api/subuser/1/', { method: 'POST' });
    expect(answer.headers.get('Allow')).toBe('GET, PATCH, DELETE, OPTIONS');
  });

  it.each([
    ['text/html', 406],
    ['application/xml, text/plain', 406],
    ['application/json; q=0, text/html', 406],
    ['application/json', 200],
    ['text/html, */*;q=0.8', 200],
    ['application/*', 200],
  ])('Accept: %s → %i', async (accept, status) => {
    expect((await call(createSimulator(), '/api/profile/', { headers: { Accept: accept } })).status).toBe(
      status,
    );
  });

  it('paginates with absolute links that keep the filter, and 404s a bad page', async () => {
    const sim = createSimulator({ proxyCount: 100, pageSize: 10, origin: 'http://127.0.0.1:9080' });
    const page = await call(sim, '/api/proxy/list/?countries=US-FR&page=2');
    expect(page.body).toMatchObject({
      count: 70,
      next: 'http://127.0.0.1:9080/api/proxy/list/?countries=US-FR&page=3',
      previous: 'http://127.0.0.1:9080/api/proxy/list/?countries=US-FR',
    });
    for (const bad of ['0', '8', 'abc', '-1']) {
      const answer = await call(sim, `/api/proxy/list/?countries=US-FR&page=${bad}`);
      expect([answer.status, answer.body]).toEqual([404, { detail: 'Invalid page.' }]);
    }
  });

  it('serves the proxy object with every documented field', async () => {
    const answer = await call(createSimulator(), '/api/proxy/list/');
    const proxy = (answer.body as { results: Record<string, unknown>[] }).results[0];
    expect(Object.keys(proxy ?? {}).sort()).toEqual(
      [
        'city_name',
        'country_code',
        'country_code_confidence',
        'last_verification',
        'password',
        'ports',
        'proxy_address',
        'username',
        'valid',
      ].sort(),
    );
  });

  it('validates sub-user bodies with DRF messages, in both shapes', async () => {
    const strings = await call(createSimulator(), '/api/subuser/', {
      method: 'POST',
      body: { proxy_limit: 'lots', max_thread_count: 1.5, proxy_countries: { usa: 1 } },
    });
    expect(strings).toMatchObject({
      status: 400,
      body: {
        label: ['This field is required.'],
        proxy_limit: ['A valid number is required.'],
        max_thread_count: ['A valid integer is required.'],
        proxy_countries: ['"usa" is not a valid country code.'],
      },
    });
    const objects = await call(createSimulator({ fieldErrorShape: 'objects' }), '/api/subuser/', {
      method: 'POST',
      body: { label: 'x' },
    });
    expect(objects.body).toEqual({ proxy_limit: [{ message: 'This field is required.', code: 'required' }] });
  });

  it('answers 400 to a body that is not JSON, and 204 with no body to DELETE', async () => {
    const sim = createSimulator();
    const broken = await call(sim, '/api/subuser/', { method: 'POST', body: '{"label": ' });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ detail: expect.stringMatching(/JSON parse error/) });
    await call(sim, '/api/subuser/', { method: 'POST', body: { label: 'a', proxy_limit: 0 } });
    const deleted = await call(sim, '/api/subuser/1/', { method: 'DELETE' });
    expect([deleted.status, deleted.text]).toEqual([204, '']);
  });

  it('rejects authorized_ips that are not a list of IPs', async () => {
    const sim = createSimulator();
    const answer = await call(sim, '/api/proxy/config/', {
      method: 'POST',
      body: { authorized_ips: '10.0.0.1' },
    });
    expect(answer).toMatchObject({ status: 400, body: { authorized_ips: [expect.stringMatching(/list/)] } });
  });

  it('uses the table spelling of stats when asked', async () => {
    const answer = await call(createSimulator({ statsSpelling: 'table' }), '/api/proxy/stats/');
    expect(Object.keys(answer.body as object)).toEqual(
      expect.arrayContaining(['request_countries', 'requests_error_reasons', 'last_request_at']),
    );
    expect(answer.body).not.toHaveProperty('requests_countries');
  });

  it('logs every API request with its status and bucket', async () => {
    const sim = createSimulator();
    await call(sim, '/api/proxy/list/?page=1');
    await call(sim, '/api/profile', { auth: false });
    const time = sim.control.now();
    expect(sim.requests).toEqual([
      {
        method: 'GET',
        path: '/api/proxy/list/',
        query: { page: '1' },
        time,
        status: 200,
        bucket: 'proxyList',
      },
      { method: 'GET', path: '/api/profile', query: {}, time, status: 404, bucket: 'general' },
    ]);
  });
});
