/**
 * Health and poller routes: `GET /healthz` (public, no account data), `GET /v1/status`,
 * `GET /v1/snapshots` and `POST /v1/poll` (same code path as the cron).
 */
import * as z from 'zod';
import { OpenAPIHono, createRoute } from '../lib/openapi-app';
import { readAlertsOverview } from '../alerts/overview';
import { requireSecret } from '../config';
import type { AppEnv } from '../context';
import { ApiError } from '../lib/api-error';
import { runTick } from '../cycle/tick';
import { PollerStore } from '../storage/poller-store';
import { invalidField, validationHook } from '../lib/validation';
import { adminErrorResponses, adminSecurity, errorResponse } from './openapi-common';
import { HealthSchema, StatusSchema, alertsForStatus, summariseStatus } from '../status/summary';

/** Three missed 5-minute crons: the cron is dead, or every tick is failing. */
export const HEALTH_MAX_TICK_AGE_MS = 15 * 60_000;
const SNAPSHOT_LIMIT_DEFAULT = 100;
const SNAPSHOT_LIMIT_MAX = 500;

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'Config validity and the age of the last successful tick (public; no secrets, no account data)',
  responses: {
    200: { description: 'Healthy', content: { 'application/json': { schema: HealthSchema } } },
    503: {
      description: 'Unhealthy: invalid config, no recent successful tick',
      content: { 'application/json': { schema: HealthSchema } },
    },
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/v1/status',
  tags: ['poller'],
  summary: 'Latest snapshot summary',
  security: adminSecurity,
  responses: {
    200: {
      description: 'The account as of the last tick',
      content: { 'application/json': { schema: StatusSchema } },
    },
    404: errorResponse('No tick has run yet'),
    ...adminErrorResponses,
  },
});

const timeParam = z
  .string()
  .optional()
  .openapi({ description: 'ISO 8601 time or epoch milliseconds', example: '2026-11-28T00:00:00Z' });

const snapshotsRoute = createRoute({
  method: 'get',
  path: '/v1/snapshots',
  tags: ['poller'],
  summary: 'Snapshot history, newest first',
  security: adminSecurity,
  request: {
    query: z.object({
      since: timeParam,
      until: timeParam,
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(SNAPSHOT_LIMIT_MAX)
        .default(SNAPSHOT_LIMIT_DEFAULT)
        .optional(),
    }),
  },
  responses: {
    200: {
      description: 'Snapshots',
      content: {
        'application/json': {
          schema: z.object({ count: z.number(), snapshots: z.array(z.record(z.string(), z.unknown())) }),
        },
      },
    },
    400: errorResponse('Bad since/until/limit'),
    ...adminErrorResponses,
  },
});

const pollRoute = createRoute({
  method: 'post',
  path: '/v1/poll',
  tags: ['poller'],
  summary: 'Run a tick now (the same code path as the cron)',
  security: adminSecurity,
  responses: {
    200: {
      description: 'What the tick did',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
    409: errorResponse('Another poll is running (Retry-After says when to retry)'),
    ...adminErrorResponses,
  },
});

function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) {
    invalidField(name, 'expected an ISO 8601 time or epoch milliseconds');
  }
  return ms;
}

export function statusRoutes(): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  routes.openapi(healthRoute, async (c) => {
    const config = c.get('config');
    const nowMs = Date.now();
    const { state } = await new PollerStore(c.env.STATE, config.historyRetentionDays).readState(nowMs);
    const lastSuccessMs = state.last_success_at ? Date.parse(state.last_success_at) : null;
    const ageSeconds = lastSuccessMs === null ? null : Math.round((nowMs - lastSuccessMs) / 1000);
    const reasons: string[] = config.problems.map((p) => p.message);
    if (!config.webshareApiKey) reasons.push('WEBSHARE_API_KEY is not set');
    // Readers look at the last two hours' buckets only (cheap enough for an uptime check every minute).
    if (lastSuccessMs === null) reasons.push('no successful tick in the last 2 hours');
    else if (nowMs - lastSuccessMs > HEALTH_MAX_TICK_AGE_MS)
      reasons.push(`last successful tick ${ageSeconds} s ago`);
    // A revoked key fails every tick from now on: say so at once rather than 15 minutes later.
    if (state.latest?.errors.some((e) => e.kind === 'WebshareUnauthorizedError')) {
      reasons.push(
        'Webshare refused the API key (401) in the last tick: WEBSHARE_API_KEY is revoked or wrong',
      );
    }
    const healthy = reasons.length === 0;
    const body = {
      status: healthy ? ('ok' as const) : ('unhealthy' as const),
      reasons,
      config: { ok: config.problems.length === 0, problems: config.problems },
      last_tick_at: state.last_tick_at,
      last_success_at: state.last_success_at,
      last_success_age_seconds: ageSeconds,
      webshare_consecutive_failed_ticks: state.consecutive_failed_ticks,
    };
    c.header('Cache-Control', 'no-store');
    return healthy ? c.json(body, 200) : c.json(body, 503);
  });

  routes.openapi(statusRoute, async (c) => {
    const config = c.get('config');
    const nowMs = Date.now();
    // One KV round trip: the poller state and the three alert documents are read in parallel (the
    // alert reads are wasted only when there is no snapshot yet, and then the answer is a 404).
    const [{ state }, alerts] = await Promise.all([
      new PollerStore(c.env.STATE, config.historyRetentionDays).readState(nowMs),
      readAlertsOverview(c.env.STATE, nowMs),
    ]);
    if (!state.latest) {
      return c.json(
        {
          error: { code: 'no_snapshot', message: 'no tick in the last 2 hours; POST /v1/poll runs one now' },
        },
        404,
      );
    }
    return c.json({ ...summariseStatus(state.latest, state, nowMs), alerts: alertsForStatus(alerts) }, 200);
  });

  routes.openapi(snapshotsRoute, async (c) => {
    const config = c.get('config');
    const query = c.req.valid('query');
    const nowMs = Date.now();
    const retentionStart = nowMs - config.historyRetentionDays * 86_400_000;
    const since = parseTime(query.since, 'since') ?? retentionStart;
    const until = parseTime(query.until, 'until') ?? nowMs;
    if (since > until) {
      invalidField('since', 'since is after until');
    }
    const store = new PollerStore(c.env.STATE, config.historyRetentionDays);
    const { state } = await store.readState(nowMs);
    // Never look past retention (nor, inside the store, before the first tick): each hour costs a read.
    // A state not found (no tick in the last 2 hours) says nothing about older history: no clamp then.
    const snapshots = await store.readHistory({
      sinceMs: Math.max(since, retentionStart),
      untilMs: until,
      limit: query.limit ?? SNAPSHOT_LIMIT_DEFAULT,
      firstTickAt: state.first_tick_at,
    });
    return c.json(
      { count: snapshots.length, snapshots: snapshots as unknown as Record<string, unknown>[] },
      200,
    );
  });

  routes.openapi(pollRoute, async (c) => {
    const nowMs = Date.now();
    const { tick, alerting } = await runTick({
      env: c.env,
      scheduledTime: nowMs,
      nowMs,
      config: c.get('config'),
      log: c.get('log'),
    });
    if (tick.status === 'busy') {
      const seconds = Math.max(1, Math.ceil(tick.retryAfterMs / 1000));
      throw new ApiError(409, 'poll_in_progress', `another poll is running; retry in ${seconds} s`, {
        headers: { 'Retry-After': String(seconds) },
      });
    }
    if (tick.status === 'not_configured') requireSecret(undefined, 'WEBSHARE_API_KEY');
    if (tick.status !== 'done') return c.json({ ...tick }, 200);
    const { snapshot, webshareCalls, sweepPages, kvReads, kvWrites } = tick;
    return c.json(
      {
        status: tick.status,
        webshare_calls: webshareCalls,
        sweep_pages: sweepPages,
        kv_reads: kvReads,
        kv_writes: kvWrites,
        errors: snapshot.errors,
        alerting,
        status_summary: summariseStatus(snapshot, null, nowMs),
      },
      200,
    );
  });

  return routes;
}
