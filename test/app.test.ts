import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

describe('the app shell', () => {
  it('answers unknown routes with the error envelope and a request id', async () => {
    const response = await SELF.fetch('https://worker.test/nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('X-Request-Id')).toMatch(/.{8,}/);
    expect(await response.json()).toEqual({
      error: { code: 'not_found', message: 'no route for GET /nope' },
    });
  });

  it('refuses /v1 routes without a bearer token', async () => {
    const response = await SELF.fetch('https://worker.test/v1/status');
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toContain('Bearer');
  });
});
