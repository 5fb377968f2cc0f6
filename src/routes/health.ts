/**
 * `GET /healthz`: 200 when healthy, 503 otherwise. The public answer is the status and reason codes
 * only (`{"status":"unhealthy","reasons":["webshare_auth"]}`): no times, no messages, nothing an
 * outsider can learn about the account beyond "is it working". With the admin or read-only token as
 * a bearer, the answer adds the details: messages, config problems, tick times, failure streak.
 *
 * Caching: uptime checkers poll this every minute or faster, and each answer costs one or two KV
 * reads. Public answers are memoised in the isolate: a healthy one for PUBLIC_HEALTH_CACHE_MS, an
 * unhealthy one for UNHEALTHY_HEALTH_CACHE_MS only, and never once this isolate has written a newer
 * successful tick (a fresh deploy answers 503 until its first tick, then 200 at once, not 30 s
 * later). Chosen over the Cache API (`caches.default`), which does nothing on *.workers.dev, where
 * many of these workers run; the price is one computation per isolate per 30 s instead of one per
 * colo. Authorised answers are never cached: an operator debugging wants the state now.
 */
import { createRoute } from '../lib/openapi-app';
import type { Context } from 'hono';
import type { Config } from '../config';
import type { AppEnv } from '../context';
import { bearerToken, roleForToken } from '../middleware/admin-auth';
import type { PollerState } from '../model/poller-state';
import { HealthSchema } from '../status/summary';
import { PUBLIC_SECURITY } from './openapi-common';
import { PollerStore, newestSuccessWrittenHere } from '../storage/poller-store';

/** Three missed 5-minute crons: the cron is dead, or every tick is failing. */
export const HEALTH_MAX_TICK_AGE_MS = 15 * 60_000;
/** How long a healthy public answer is reused within one isolate (and by caches in between). */
export const PUBLIC_HEALTH_CACHE_MS = 30_000;
/**
 * How long an unhealthy one is: an outage that ends in another isolate (a cron tick runs where the
 * platform puts it) is seen here this soon. Still at most one or two KV reads per 5 s per isolate.
 */
export const UNHEALTHY_HEALTH_CACHE_MS = 5_000;

export const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  security: PUBLIC_SECURITY,
  summary:
    'Healthy or not, with reason codes (public, cached 30 s, 5 s while unhealthy); details with the admin or read-only token',
  responses: {
    200: { description: 'Healthy', content: { 'application/json': { schema: HealthSchema } } },
    503: {
      description:
        'Unhealthy. Reason codes: config_invalid, webshare_key_missing, no_recent_tick, webshare_auth',
      content: { 'application/json': { schema: HealthSchema } },
    },
  },
});

interface Reason {
  code: 'config_invalid' | 'webshare_key_missing' | 'no_recent_tick' | 'webshare_auth';
  message: string;
}

function reasonsFor(config: Config, state: PollerState, nowMs: number): Reason[] {
  const reasons: Reason[] = config.problems.map((p) => ({ code: 'config_invalid', message: p.message }));
  if (!config.webshareApiKey) {
    reasons.push({ code: 'webshare_key_missing', message: 'WEBSHARE_API_KEY is not set' });
  }
  const lastSuccessMs = state.last_success_at ? Date.parse(state.last_success_at) : null;
  // Readers look at the last two hours' buckets only (cheap enough for an uptime check every minute).
  if (lastSuccessMs === null) {
    reasons.push({ code: 'no_recent_tick', message: 'no successful tick in the last 2 hours' });
  } else if (nowMs - lastSuccessMs > HEALTH_MAX_TICK_AGE_MS) {
    const seconds = Math.round((nowMs - lastSuccessMs) / 1000);
    reasons.push({ code: 'no_recent_tick', message: `last successful tick ${seconds} s ago` });
  }
  // A revoked key fails every tick from now on: say so at once rather than 15 minutes later.
  if (state.latest?.errors.some((e) => e.kind === 'WebshareUnauthorizedError')) {
    reasons.push({
      code: 'webshare_auth',
      message: 'Webshare refused the API key (401) in the last tick: WEBSHARE_API_KEY is revoked or wrong',
    });
  }
  return reasons;
}

interface HealthAnswer {
  healthy: boolean;
  body: Record<string, unknown>;
}

async function compute(c: Context<AppEnv>, detailed: boolean): Promise<HealthAnswer> {
  const config = c.get('config');
  const nowMs = Date.now();
  const { state } = await new PollerStore(c.env.STATE, config.historyRetentionDays).readState(nowMs);
  const reasons = reasonsFor(config, state, nowMs);
  const healthy = reasons.length === 0;
  const codes = [...new Set(reasons.map((r) => r.code))];
  const body: Record<string, unknown> = { status: healthy ? 'ok' : 'unhealthy', reasons: codes };
  if (detailed) {
    const lastSuccessMs = state.last_success_at ? Date.parse(state.last_success_at) : null;
    Object.assign(body, {
      details: reasons,
      config: { ok: config.problems.length === 0, problems: config.problems },
      last_tick_at: state.last_tick_at,
      last_success_at: state.last_success_at,
      last_success_age_seconds: lastSuccessMs === null ? null : Math.round((nowMs - lastSuccessMs) / 1000),
      webshare_consecutive_failed_ticks: state.consecutive_failed_ticks,
      webshare_api: state.webshare_api?.dialect ?? null,
    });
  }
  return { healthy, body };
}

/**
 * The public answer of this isolate, until when it may be reused, and the newest successful tick this
 * isolate had written when it was computed.
 */
let memo: { answer: HealthAnswer; expiresAtMs: number; successWritten: number | null } | null = null;

/** Drops the memoised public answer (tests start each case from a clean isolate state). */
export function forgetPublicHealth(): void {
  memo = null;
}

function cacheMs(answer: HealthAnswer): number {
  return answer.healthy ? PUBLIC_HEALTH_CACHE_MS : UNHEALTHY_HEALTH_CACHE_MS;
}

async function publicAnswer(c: Context<AppEnv>): Promise<HealthAnswer> {
  const nowMs = Date.now();
  const successWritten = newestSuccessWrittenHere();
  // An unhealthy memo is stale as soon as this isolate has written a newer successful tick.
  const current = memo?.answer.healthy || memo?.successWritten === successWritten;
  if (memo && memo.expiresAtMs > nowMs && current) return memo.answer;
  const answer = await compute(c, false);
  memo = { answer, expiresAtMs: nowMs + cacheMs(answer), successWritten };
  return answer;
}

/** True when the request carries the admin or the read-only token. A wrong token is just public. */
async function authorised(c: Context<AppEnv>): Promise<boolean> {
  const config = c.get('config');
  const token = bearerToken(c.req.header('Authorization'));
  if (token === undefined || !config.adminToken) return false;
  return (await roleForToken(token, config.adminToken, config.adminReadToken)) !== null;
}

export async function healthHandler(c: Context<AppEnv>) {
  const detailed = await authorised(c);
  const answer = detailed ? await compute(c, true) : await publicAnswer(c);
  const { healthy, body } = answer;
  c.header('Cache-Control', detailed ? 'private, no-store' : `public, max-age=${cacheMs(answer) / 1000}`);
  c.header('Vary', 'Authorization');
  return c.json(body, healthy ? 200 : 503);
}
