/**
 * The dashboard at `/`: server-rendered, no script, nothing loaded from elsewhere. Signed in with the
 * admin token (or the read-only one) through a login form that sets an HttpOnly, Secure, SameSite
 * cookie; `Authorization: Bearer` works too, for scripts and uptime checks.
 */
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { readAlertsOverview } from '../alerts/overview';
import { requireSecret } from '../config';
import type { AppEnv } from '../context';
import { DashboardPage, LoginPage } from '../dashboard/page';
import { SESSION_COOKIE, SESSION_TTL_SECONDS, createSessionValue, readSession } from '../dashboard/session';
import { DASHBOARD_CSS } from '../dashboard/styles';
import { buildDashboardView } from '../dashboard/view-model';
import { toBase64, utf8 } from '../lib/crypto';
import { readBodyAtMost } from '../lib/read-body';
import { bearerToken, roleForToken, type AdminRole } from '../middleware/admin-auth';
import { readSubUserListing } from '../status/subusers';
import { chatopsBoundaryWarnings } from '../status/warnings';
import { clientKey } from '../lib/ip';
import type { LoginGate, LoginThrottle } from '../storage/login-throttle';
import { PollerStore } from '../storage/poller-store';
import { isSessionRevoked, revokeSession } from '../storage/sessions';

/** The login form carries one token; anything larger is not our form. */
const MAX_LOGIN_BODY_BYTES = 4096;

let styleHash: Promise<string> | undefined;
function cssHash(): Promise<string> {
  styleHash ??= crypto.subtle
    .digest('SHA-256', utf8(DASHBOARD_CSS))
    .then((digest) => `'sha256-${toBase64(digest)}'`);
  return styleHash;
}

/** Strict headers for every dashboard page: no script at all, only the one inline stylesheet by hash. */
async function secureHeaders(c: Context<AppEnv>): Promise<void> {
  c.header(
    'Content-Security-Policy',
    `default-src 'none'; style-src ${await cssHash()}; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  c.header('Cache-Control', 'no-store');
}

async function signedInRole(c: Context<AppEnv>, adminToken: string): Promise<AdminRole | null> {
  const config = c.get('config');
  const bearer = bearerToken(c.req.header('Authorization'));
  if (bearer !== undefined) return roleForToken(bearer, adminToken, config.adminReadToken);
  const session = await readSession(
    getCookie(c, SESSION_COOKIE),
    { adminToken, readToken: config.adminReadToken },
    Date.now(),
  );
  // The one KV read of a cookie request, and only for a cookie whose signature is good.
  if (!session || (await isSessionRevoked(c.env.STATE, session.id))) return null;
  return session.role;
}

/**
 * The client's login throttle (storage/login-throttle.ts), keyed by CF-Connecting-IP. Null when the
 * binding is missing or unreachable: logins are then refused rather than left unthrottled.
 */
async function loginGate(c: Context<AppEnv>): Promise<DurableObjectStub<LoginThrottle> | null> {
  const namespace = c.env.LOGIN_THROTTLE as DurableObjectNamespace<LoginThrottle> | undefined;
  if (!namespace) {
    c.get('log').error('the LOGIN_THROTTLE Durable Object binding is not configured; refusing logins');
    return null;
  }
  return namespace.get(namespace.idFromName(`login ${clientKey(c.req.header('CF-Connecting-IP'))}`));
}

/**
 * The page reads the poller state (one or two KV reads: its rollups cover the whole billing period)
 * and the alerts overview (three): a page view costs at most five reads, however long the period.
 */
async function dashboardPage(c: Context<AppEnv>): Promise<Response> {
  await secureHeaders(c);
  const config = c.get('config');
  const adminToken = requireSecret(config.adminToken, 'ADMIN_TOKEN', config.problems);
  if ((await signedInRole(c, adminToken)) === null) {
    if (c.req.header('Authorization')) return c.html(<LoginPage error="Invalid token." />, 401);
    return c.redirect('/login', 303);
  }
  const nowMs = Date.now();
  const store = new PollerStore(c.env.STATE, config.historyRetentionDays);
  const reading = store.readState(nowMs);
  // One round trip: with the state, the alert documents and the sub-users created since the last refresh.
  const [{ state, recent }, alerts, listing] = await Promise.all([
    reading,
    readAlertsOverview(c.env.STATE, nowMs).catch(() => null),
    readSubUserListing(
      c.env.STATE,
      reading.then((read) => read.state),
      nowMs,
    ),
  ]);
  const view = buildDashboardView({
    state: state.latest ? { ...state, latest: { ...state.latest, subusers: listing.subusers } } : state,
    recent,
    alerts,
    thresholds: config.alerts.bandwidth.thresholds_percent,
    nowMs,
    warnings: chatopsBoundaryWarnings(config),
  });
  return c.html(<DashboardPage view={view} nowMs={nowMs} />);
}

/** Signs in with the admin or read-only token: a session cookie, never the token; throttled per client. */
async function login(c: Context<AppEnv>): Promise<Response> {
  await secureHeaders(c);
  const config = c.get('config');
  const adminToken = requireSecret(config.adminToken, 'ADMIN_TOKEN', config.problems);
  const type = c.req.header('Content-Type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) {
    return c.html(<LoginPage error="The login form must be submitted as a form." />, 415);
  }
  const bytes = await readBodyAtMost(c.req.raw, MAX_LOGIN_BODY_BYTES);
  if (bytes === null) return c.html(<LoginPage error="Request too large." />, 413);
  // Counted before the token is compared, so parallel guesses cannot outrun the limit.
  const gate = await loginGate(c);
  let verdict: LoginGate;
  try {
    verdict = gate ? await gate.begin(Date.now()) : { allowed: false, retryAfterSeconds: 60 };
  } catch (error) {
    c.get('log').error('the login throttle is unreachable; refusing the login', { error });
    verdict = { allowed: false, retryAfterSeconds: 60 };
  }
  if (!verdict.allowed) {
    c.header('Retry-After', String(verdict.retryAfterSeconds));
    const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
    return c.html(
      <LoginPage
        error={`Too many failed logins from your address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`}
      />,
      429,
    );
  }
  // The stream is consumed; Hono parses the form from a fresh request over the same bytes.
  c.req.raw = new Request(c.req.raw, { body: bytes });
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const token = typeof form.token === 'string' ? form.token.trim() : '';
  const role = token ? await roleForToken(token, adminToken, config.adminReadToken) : null;
  if (role === null) return c.html(<LoginPage error="Invalid token." />, 401);
  await gate?.succeeded();
  setCookie(
    c,
    SESSION_COOKIE,
    await createSessionValue({ adminToken, readToken: config.adminReadToken }, role, Date.now()),
    // __Host- prefix: Secure, Path=/ and no Domain, or browsers refuse the cookie.
    { httpOnly: true, secure: true, sameSite: 'Strict', path: '/', maxAge: SESSION_TTL_SECONDS },
  );
  return c.redirect('/', 303);
}

/** Ends the session on the server too, so a copied cookie stops working. */
async function logout(c: Context<AppEnv>): Promise<Response> {
  await secureHeaders(c);
  const config = c.get('config');
  if (config.adminToken) {
    const session = await readSession(
      getCookie(c, SESSION_COOKIE),
      { adminToken: config.adminToken, readToken: config.adminReadToken },
      Date.now(),
    );
    // Server-side: a copy of this cookie stops working too, not only this browser's.
    if (session) await revokeSession(c.env.STATE, session.id, session.expiresAtSeconds, Date.now());
  }
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
  return c.redirect('/login', 303);
}

export function dashboardRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/', dashboardPage);
  // Where notifications link to (<PUBLIC_URL>/dashboard).
  routes.get('/dashboard', dashboardPage);

  routes.get('/login', async (c) => {
    await secureHeaders(c);
    return c.html(<LoginPage />);
  });

  routes.post('/login', login);

  routes.post('/logout', logout);

  return routes;
}
