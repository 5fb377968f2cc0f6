/**
 * Every operation /openapi.json marks as secured, called without a token, with wrong ones and (for
 * writes) with the read-only token: refused before any work, with nothing sent to Webshare and
 * nothing written to KV. Routes the app serves but the document omits are listed with a reason.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../sim';
import { createApp } from '../../src/app';
import { routeOutbound } from '../helpers/outbound';
import { dumpKv } from '../reliability/helpers';
import {
  ADMIN_TOKEN,
  READ_TOKEN,
  callApp,
  concretePath,
  openApiDocument,
  operationsOf,
  type OpenApiOperation,
} from './helpers';

/** Served but not in /openapi.json, each with why — and how it is protected instead. */
const UNDOCUMENTED: Record<string, string> = {
  'GET /openapi.json': 'the document itself; public',
  'GET /docs': 'HTML viewer of the document; public, no data',
  'GET /': 'dashboard HTML; session cookie or bearer token (tested below)',
  'GET /dashboard': 'the same dashboard HTML, where notifications link to; same auth as GET /',
  'GET /login': 'dashboard login form; public, no data',
  'POST /login': 'dashboard login form post; checks the token itself (tested below)',
  'POST /logout': 'clears the session cookie; needs no auth',
  'POST /dashboard/tick':
    "runs a tick; the admin's cookie session and CSRF token (test/dashboard/first-tick.test.ts)",
};

/** Tokens that must never pass: absent, wrong, truncated, padded, in the wrong scheme or place. */
const BAD_AUTH: { name: string; headers: Record<string, string> }[] = [
  { name: 'no Authorization header', headers: {} },
  { name: 'a wrong token', headers: { Authorization: 'Bearer test-admin-token-0123456780' } },
  {
    name: 'the token minus its last character',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` },
  },
  { name: 'the token plus a character', headers: { Authorization: `Bearer ${ADMIN_TOKEN}0` } },
  { name: 'an empty bearer', headers: { Authorization: 'Bearer ' } },
  {
    name: 'the token in the Basic scheme',
    headers: { Authorization: `Basic ${btoa(`admin:${ADMIN_TOKEN}`)}` },
  },
  { name: 'the token without a scheme', headers: { Authorization: ADMIN_TOKEN } },
  { name: 'two tokens', headers: { Authorization: `Bearer ${ADMIN_TOKEN} ${ADMIN_TOKEN}` } },
  { name: 'the token in another header', headers: { 'X-Admin-Token': ADMIN_TOKEN } },
  { name: 'the Webshare API key', headers: { Authorization: 'Bearer test-api-key-9f8e7d6c' } },
];

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

function requestFor(op: OpenApiOperation, headers: Record<string, string>): [string, RequestInit] {
  const hasBody = WRITE_METHODS.has(op.method) && op.method !== 'DELETE';
  return [
    concretePath(op.path),
    {
      method: op.method,
      headers: hasBody ? { 'Content-Type': 'application/json', ...headers } : headers,
      body: hasBody ? JSON.stringify({ label: 'x', proxy_limit: 1, ip_address: '10.0.0.1' }) : undefined,
    },
  ];
}

describe('auth on every secured operation of /openapi.json', () => {
  let sim: Simulator;
  beforeEach(() => {
    sim = createSimulator();
    routeOutbound({ 'webshare.sim': sim.fetch });
  });

  it('documents a bearer-secured operation for every /v1 route, and secures nothing else by accident', async () => {
    const operations = operationsOf(await openApiDocument());
    const secured = operations.filter((op) => op.security?.length);
    expect(secured.length).toBeGreaterThanOrEqual(20);
    for (const op of operations) {
      // /metrics is the one bearer-secured route outside /v1 (a scrape endpoint, with its own token).
      const securedOnPurpose = op.path.startsWith('/v1/') || op.path === '/metrics';
      expect(Boolean(op.security?.length), `${op.method} ${op.path}`).toBe(securedOnPurpose);
    }
  });

  it('lists every served route that is not in the document, with a reason', async () => {
    const documented = new Set(operationsOf(await openApiDocument()).map((op) => `${op.method} ${op.path}`));
    const served = new Set(
      createApp()
        .routes.filter((route) => route.method !== 'ALL')
        .map((route) => `${route.method} ${route.path.replace(/:([^/]+)/g, '{$1}')}`),
    );
    const unlisted = [...served].filter((route) => !documented.has(route) && !(route in UNDOCUMENTED));
    expect(unlisted, 'served, undocumented and not excluded with a reason').toEqual([]);
    const stale = Object.keys(UNDOCUMENTED).filter((route) => !served.has(route) || documented.has(route));
    expect(stale, 'exclusions for routes that are gone or now documented').toEqual([]);
  });

  it.each(BAD_AUTH)(
    'refuses $name with 401 on every secured operation, with no side effect',
    async ({ headers }) => {
      const secured = operationsOf(await openApiDocument()).filter((op) => op.security?.length);
      const kvBefore = await dumpKv();
      for (const op of secured) {
        const response = await callApp(...requestFor(op, headers));
        const label = `${op.method} ${op.path}`;
        expect(response.status, label).toBe(401);
        expect(response.headers.get('WWW-Authenticate'), label).toMatch(/^Bearer realm=/);
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code, label).toBe('unauthorized');
        expect(JSON.stringify(body), label).not.toContain(ADMIN_TOKEN);
      }
      expect(sim.requests).toEqual([]);
      expect(await dumpKv()).toBe(kvBefore);
    },
  );

  it('refuses the read-only token on every secured write with 403, and lets it read', async () => {
    const secured = operationsOf(await openApiDocument()).filter((op) => op.security?.length);
    const writes = secured.filter((op) => WRITE_METHODS.has(op.method));
    expect(writes.length).toBeGreaterThanOrEqual(8);
    const kvBefore = await dumpKv();
    for (const op of writes) {
      const response = await callApp(...requestFor(op, { Authorization: `Bearer ${READ_TOKEN}` }), {
        ADMIN_READ_TOKEN: READ_TOKEN,
      });
      expect(response.status, `${op.method} ${op.path}`).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    expect(sim.requests).toEqual([]);
    expect(await dumpKv()).toBe(kvBefore);

    for (const op of secured.filter((o) => o.method === 'GET')) {
      const response = await callApp(...requestFor(op, { Authorization: `Bearer ${READ_TOKEN}` }), {
        ADMIN_READ_TOKEN: READ_TOKEN,
      });
      expect([401, 403], `${op.method} ${op.path}`).not.toContain(response.status);
      await response.body?.cancel();
    }
  });

  it('accepts neither token once ADMIN_TOKEN is unset: fail closed', async () => {
    const secured = operationsOf(await openApiDocument()).filter((op) => op.security?.length);
    for (const op of secured) {
      for (const token of [ADMIN_TOKEN, READ_TOKEN]) {
        const response = await callApp(...requestFor(op, { Authorization: `Bearer ${token}` }), {
          ADMIN_TOKEN: undefined,
          ADMIN_READ_TOKEN: READ_TOKEN,
        });
        expect(response.status, `${op.method} ${op.path}`).toBe(503);
        await response.body?.cancel();
      }
    }
    expect(sim.requests).toEqual([]);
  });
});

describe('the dashboard, outside the document', () => {
  it.each(BAD_AUTH.filter((a) => a.headers.Authorization))('shows no data for $name', async ({ headers }) => {
    const response = await callApp('/', { headers });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toMatch(/bandwidth|proxy_address/i);
  });

  it('redirects to the login form without a session, and ignores a forged cookie', async () => {
    const forged = `__Host-wsops_session=9999999999.admin.${'0'.repeat(32)}.${'0'.repeat(64)}`;
    for (const cookie of [undefined, forged, '__Host-wsops_session=x', 'wsops_session=x']) {
      const response = await callApp('/', { headers: cookie ? { Cookie: cookie } : {}, redirect: 'manual' });
      expect(response.status, cookie).toBe(303);
      expect(response.headers.get('Location')).toBe('/login');
    }
  });

  it('refuses a wrong token at the login form without setting a cookie', async () => {
    const response = await callApp('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'test-admin-token-0123456780' }).toString(),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('Set-Cookie')).toBeNull();
  });
});
