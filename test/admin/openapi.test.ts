import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { ORIGIN, useSimulator } from './helpers';
import { operationsOf, servedDocument } from './openapi-helpers';

/**
 * Routes deliberately absent from /openapi.json, each with its reason. Adding a route elsewhere
 * without documenting it (or listing it here) fails the test below.
 */
const UNDOCUMENTED_ROUTES: Record<string, string> = {
  'GET /openapi.json': 'the document itself',
  'GET /docs': 'the HTML viewer of the document',
  // The dashboard is a set of HTML pages for a browser, not a JSON API.
  'GET /': 'dashboard HTML page',
  'GET /dashboard': 'the same dashboard HTML page (notifications link here)',
  'GET /login': 'dashboard HTML login form',
  'POST /login': 'dashboard HTML login form post',
  'POST /logout': 'dashboard HTML logout',
  'POST /dashboard/tick': "the dashboard's Run a tick now form (cookie session and CSRF token)",
};

/** Every route issue 5 owns, as "METHOD /path" in OpenAPI form. */
const ADMIN_ROUTES = [
  'POST /v1/proxy-list/refresh',
  'POST /v1/proxies/replace',
  'GET /v1/replacements',
  'GET /v1/replacement-info',
  'GET /v1/subscription',
  'GET /v1/proxy-config',
  'GET /v1/subusers',
  'POST /v1/subusers',
  'GET /v1/subusers/{id}',
  'PATCH /v1/subusers/{id}',
  'DELETE /v1/subusers/{id}',
  'POST /v1/subusers/{id}/refresh',
  'GET /v1/subusers/{id}/stats',
  'GET /v1/subusers/{id}/proxy-config',
  'GET /v1/subusers/{id}/proxies',
];

/** A concrete URL path for a templated one: every {param} becomes 1. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '1');

describe('the OpenAPI document', () => {
  useSimulator();

  it('is OpenAPI 3.1 and lists every admin route, each secured with the bearer token', async () => {
    const doc = await servedDocument();
    expect(doc.openapi).toBe('3.1.0');
    const listed = new Set(operationsOf(doc).map(({ method, path }) => `${method} ${path}`));
    for (const route of ADMIN_ROUTES) expect(listed, route).toContain(route);
    for (const route of ADMIN_ROUTES) {
      const [method, path] = route.split(' ') as [string, string];
      const operation = doc.paths[path]?.[method.toLowerCase()];
      expect(operation?.security, route).toEqual([{ adminToken: [] }]);
      expect(Object.keys(operation?.responses ?? {}), route).toEqual(expect.arrayContaining(['401', '502']));
    }
  });

  it('documents every route the app serves, except the listed exclusions', async () => {
    const doc = await servedDocument();
    const documented = new Set(operationsOf(doc).map(({ method, path }) => `${method} ${path}`));
    const served = new Set(
      createApp()
        .routes.filter((route) => route.method !== 'ALL')
        .map((route) => `${route.method} ${route.path.replace(/:([^/]+)/g, '{$1}')}`),
    );
    const missing = [...served].filter((route) => !documented.has(route) && !(route in UNDOCUMENTED_ROUTES));
    expect(
      missing,
      'routes served but not in /openapi.json (document them, or list them with a reason)',
    ).toEqual([]);
  });

  it('every /v1 operation it lists refuses a request without a token and one with a wrong token', async () => {
    const doc = await servedDocument();
    const v1 = operationsOf(doc).filter(({ path }) => path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThanOrEqual(ADMIN_ROUTES.length);
    for (const { method, path } of v1) {
      const url = `${ORIGIN}${concrete(path)}`;
      const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
      const headers = { 'Content-Type': 'application/json' };
      const none = await SELF.fetch(url, { method, body, headers });
      expect(none.status, `${method} ${path} without a token`).toBe(401);
      expect(none.headers.get('WWW-Authenticate'), `${method} ${path}`).toMatch(/^Bearer /);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');

      const wrong = await SELF.fetch(url, {
        method,
        body,
        headers: { ...headers, Authorization: 'Bearer test-admin-token-0123456780' },
      });
      expect(wrong.status, `${method} ${path} with a wrong token`).toBe(401);
      expect(wrong.headers.get('WWW-Authenticate'), `${method} ${path}`).toContain('invalid_token');
      await wrong.body?.cancel();
    }
  });

  it('serves /docs as one self-contained HTML page that renders the document', async () => {
    const response = await SELF.fetch(`${ORIGIN}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toContain('text/html');
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain("fetch('/openapi.json')");
    // No CDN, font or other origin: nothing to load but the page and the document.
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).not.toMatch(/@import|url\(/);
    // Small on purpose (the bundle cost is measured in the README).
    expect(new TextEncoder().encode(html).byteLength).toBeLessThan(8 * 1024);
  });
});
