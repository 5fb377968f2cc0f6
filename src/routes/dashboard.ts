/**
 * The dashboard at `/`: server-rendered, no script, nothing loaded from elsewhere. Signed in with the
 * admin token (or the read-only one) through a login form that sets an HttpOnly, Secure, SameSite
 * cookie; `Authorization: Bearer` works too, for scripts and uptime checks. An admin session may run a
 * tick now (`POST /dashboard/tick`, a form carrying the session's CSRF token).
 */
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { readAlertsOverview } from '../alerts/overview';
import { requireSecret } from '../config';
import type { AppEnv } from '../context';
import { DashboardPage, LoginPage, tickNoticeFor, type TickOutcome } from '../dashboard/page';
import {
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  createSessionValue,
  csrfTokenFor,
  isCsrfTokenValid,
  readSession,
  type Session,
} from '../dashboard/session';
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
import { runTick } from '../cycle/tick';
import { isSessionRevoked, revokeSession } from '../storage/sessions';

/** The dashboard's forms carry one token each; anything larger is not our form. */
const MAX_FORM_BODY_BYTES = 4096;

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

/** Who is signed in: a bearer caller (no session) or a cookie session; null for nobody. */
async function signedIn(
  c: Context<AppEnv>,
  adminToken: string,
): Promise<{ role: AdminRole; session: Session | null } | null> {
  const config = c.get('config');
  const bearer = bearerToken(c.req.header('Authorization'));
  if (bearer !== undefined) {
    const role = await roleForToken(bearer, adminToken, config.adminReadToken);
    return role === null ? null : { role, session: null };
  }
  const session = await readSession(
    getCookie(c, SESSION_COOKIE),
    { adminToken, readToken: config.adminReadToken },
    Date.now(),
  );
  // The one KV read of a cookie request, and only for a cookie whose signature is good.
  if (!session || (await isSessionRevoked(c.env.STATE, session.id))) return null;
  return { role: session.role, session };
}

interface FormRefusal {
  status: 413 | 415;
  error: string;
}

/**
 * The body of one of the dashboard's forms, at most MAX_FORM_BODY_BYTES, or why it is refused. Read as
 * bytes first, so a huge body is refused before it is buffered.
 */
async function readFormBytes(c: Context<AppEnv>): Promise<Uint8Array | FormRefusal> {
  const type = c.req.header('Content-Type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) {
    return { status: 415, error: 'The form must be submitted as a form.' };
  }
  const bytes = await readBodyAtMost(c.req.raw, MAX_FORM_BODY_BYTES);
  return bytes ?? { status: 413, error: 'Request too large.' };
}

/** The fields of a form read by readFormBytes (the stream is consumed: Hono parses a fresh request). */
async function parseForm(c: Context<AppEnv>, bytes: Uint8Array): Promise<Record<string, unknown>> {
  c.req.raw = new Request(c.req.raw, { body: bytes });
  return c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
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
  const who = await signedIn(c, adminToken);
  if (who === null) {
    if (c.req.header('Authorization')) return c.html(LoginPage({ error: 'Invalid token.' }), 401);
    return c.redirect('/login', 303);
  }
  // The button is for an admin session only: a bearer caller has POST /v1/poll, a reader nothing.
  const runTickForm =
    who.role === 'admin' && who.session
      ? { csrfToken: await csrfTokenFor({ adminToken, readToken: config.adminReadToken }, who.session) }
      : undefined;
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
  return c.html(
    DashboardPage({ view, nowMs, runTick: runTickForm, notice: tickNoticeFor(c.req.query('tick')) }),
  );
}

/** Signs in with the admin or read-only token: a session cookie, never the token; throttled per client. */
async function login(c: Context<AppEnv>): Promise<Response> {
  await secureHeaders(c);
  const config = c.get('config');
  const adminToken = requireSecret(config.adminToken, 'ADMIN_TOKEN', config.problems);
  const bytes = await readFormBytes(c);
  if (!(bytes instanceof Uint8Array)) return c.html(LoginPage({ error: bytes.error }), bytes.status);
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
      LoginPage({
        error: `Too many failed logins from your address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      }),
      429,
    );
  }
  const form = await parseForm(c, bytes);
  const token = typeof form.token === 'string' ? form.token.trim() : '';
  const role = token ? await roleForToken(token, adminToken, config.adminReadToken) : null;
  if (role === null) return c.html(LoginPage({ error: 'Invalid token.' }), 401);
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

/**
 * "Run a tick now": the same tick as `POST /v1/poll` (runTick: the poll lease, the rate gate, one KV
 * write), for an admin session whose form carries its CSRF token; then back to the dashboard, which
 * says how it went. A read-only session, a bearer caller or a form without the token runs nothing.
 */
async function tickNow(c: Context<AppEnv>): Promise<Response> {
  await secureHeaders(c);
  const config = c.get('config');
  const adminToken = requireSecret(config.adminToken, 'ADMIN_TOKEN', config.problems);
  const who = await signedIn(c, adminToken);
  if (who === null) return c.redirect('/login', 303);
  const refuse = (message: string, status: 403 | 413 | 415) => c.text(message, status);
  if (who.role !== 'admin') return refuse('A read-only session cannot run a tick.', 403);
  if (!who.session) return refuse('Run a tick with POST /v1/poll when signed in with a bearer token.', 403);
  const bytes = await readFormBytes(c);
  if (!(bytes instanceof Uint8Array)) return refuse(bytes.error, bytes.status);
  const form = await parseForm(c, bytes);
  const keys = { adminToken, readToken: config.adminReadToken };
  if (!(await isCsrfTokenValid(keys, who.session, form.csrf))) {
    return refuse('This form has expired: reload the dashboard and try again.', 403);
  }
  const nowMs = Date.now();
  const { tick } = await runTick({ env: c.env, scheduledTime: nowMs, nowMs, config, log: c.get('log') });
  const outcome: TickOutcome = tick.status;
  return c.redirect(`/dashboard?tick=${outcome}`, 303);
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
    return c.html(LoginPage({}));
  });

  routes.post('/login', login);

  routes.post('/logout', logout);

  routes.post('/dashboard/tick', tickNow);

  return routes;
}
