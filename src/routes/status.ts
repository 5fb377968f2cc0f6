/**
 * Health and poller routes: `GET /healthz` (health.ts), `GET /v1/status`,
 * `GET /v1/snapshots` and `POST /v1/poll` (same code path as the cron).
 */
import * as z from 'zod';
import { OpenAPIHono, createRoute, type RouteHandler } from '../lib/openapi-app';
import { readAlertsOverview } from '../alerts/overview';
import { requireSecret } from '../config';
import type { AppEnv } from '../context';
import { ApiError } from '../lib/api-error';
import { runTick } from '../cycle/tick';
import { PollerStore } from '../storage/poller-store';
import { invalidField, validationHook } from '../lib/validation';
import { adminErrorResponses, adminSecurity, errorResponse } from './openapi-common';
import { RollupPointSchema, readRollupHistory } from '../status/rollup-history';
import { StatusSchema, alertsForStatus, summariseStatus } from '../status/summary';
import { healthHandler, healthRoute } from './health';
import { readSubUserListing } from '../status/subusers';
import { chatopsBoundaryWarnings } from '../status/warnings';
import { RUN_TICK_NOW, firstTickWait } from '../status/first-tick';

const SNAPSHOT_LIMIT_DEFAULT = 100;
const SNAPSHOT_LIMIT_MAX = 500;

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
    404: errorResponse(
      'No tick stored in the last 2 hours (a new deployment: waiting for the first one). `error.details` ' +
        'holds `waiting_for_first_tick: true`, `next_tick_due_at` (the next cron, ISO 8601) and `run_now`.',
    ),
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
  summary: 'Snapshot history, newest first; or hourly/daily rollups with `resolution`',
  security: adminSecurity,
  request: {
    query: z.object({
      resolution: z
        .enum(['1h', '1d'])
        .optional()
        .openapi({
          description:
            'Rollups instead of raw snapshots: `1d` one point per UTC day (read from the poller state alone), ' +
            '`1h` one per hour (one KV read per day before today, at most 36; further days give their daily ' +
            'point). Omit for raw snapshots (one KV read per hour of range, at most 36 per request: see `next_until`).',
        }),
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
          schema: z.object({
            count: z.number(),
            snapshots: z
              .array(z.record(z.string(), z.unknown()))
              .optional()
              .openapi({ description: 'Without `resolution`' }),
            next_until: z
              .string()
              .nullable()
              .optional()
              .openapi({
                description:
                  'Without `resolution`: set when the range may hold more snapshots than were returned ' +
                  '(the limit, or the 36 hours one request reads); ask again with `until` = this value.',
              }),
            resolution: z.enum(['1h', '1d']).optional(),
            points: z.array(RollupPointSchema).optional().openapi({ description: 'With `resolution`' }),
          }),
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

/** The latest snapshot, summarised, with the alerts and what is left open. */
const statusHandler: RouteHandler<typeof statusRoute, AppEnv> = async (c) => {
  const config = c.get('config');
  const nowMs = Date.now();
  // One KV round trip: the poller state, the three alert documents and the sub-users created since
  // the last refresh are read in parallel (wasted only when there is no snapshot yet: a 404).
  const reading = new PollerStore(c.env.STATE, config.historyRetentionDays).readState(nowMs);
  const [{ state }, alerts, listing] = await Promise.all([
    reading,
    readAlertsOverview(c.env.STATE, nowMs),
    readSubUserListing(
      c.env.STATE,
      reading.then((read) => read.state),
      nowMs,
    ),
  ]);
  if (!state.latest) {
    // Still 404 no_snapshot, as before: there is no snapshot to summarise, and a client that knew
    // this answer keeps working. What is new rides in the envelope's `details` (docs/admin-api.md).
    const wait = firstTickWait(nowMs);
    const due = wait.next_tick_due_at ? `the next cron tick is due at ${wait.next_tick_due_at}` : '';
    return c.json(
      {
        error: {
          code: 'no_snapshot',
          message: `waiting for the first tick (none in the last 2 hours); ${due ? `${due}; ` : ''}${RUN_TICK_NOW} runs one now`,
          details: wait,
        },
      },
      404,
    );
  }
  return c.json(
    {
      ...summariseStatus({ ...state.latest, subusers: listing.subusers }, state, nowMs),
      alerts: alertsForStatus(alerts),
      warnings: chatopsBoundaryWarnings(config),
    },
    200,
  );
};

/** History: raw snapshots, or hourly or daily points from the rollups. */
const snapshotsHandler: RouteHandler<typeof snapshotsRoute, AppEnv> = async (c) => {
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
  if (query.resolution) {
    // Day points outlive the hour buckets (the state keeps 40 days): no retention clamp by default.
    const points = await readRollupHistory(store, state, {
      sinceMs: parseTime(query.since, 'since') ?? 0,
      untilMs: until,
      limit: query.limit ?? SNAPSHOT_LIMIT_DEFAULT,
      resolution: query.resolution,
      retentionStartMs: retentionStart,
    });
    return c.json({ count: points.length, resolution: query.resolution, points }, 200);
  }
  // Each hour of range costs a read: never look past retention, nor after now (no bucket is there;
  // a far-future `until` once walked a month of empty hours and found nothing), nor, inside the
  // store, before the first tick. A state not found (no tick in the last 2 hours) says nothing about
  // older history: no first-tick clamp then.
  const { snapshots, nextUntilMs } = await store.readHistoryPage({
    sinceMs: Math.max(since, retentionStart),
    untilMs: Math.min(until, nowMs),
    limit: query.limit ?? SNAPSHOT_LIMIT_DEFAULT,
    firstTickAt: state.first_tick_at,
  });
  return c.json(
    {
      count: snapshots.length,
      snapshots: snapshots as unknown as Record<string, unknown>[],
      next_until: nextUntilMs === null ? null : new Date(nextUntilMs).toISOString(),
    },
    200,
  );
};

/** A tick now, through the same code path as the cron. */
const pollHandler: RouteHandler<typeof pollRoute, AppEnv> = async (c) => {
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
};

export function statusRoutes(): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  // A plain handler: the public and the authorised answers are two shapes of HealthSchema.
  routes.openapi(healthRoute, (c) => healthHandler(c) as never);

  routes.openapi(statusRoute, statusHandler);

  routes.openapi(snapshotsRoute, snapshotsHandler);

  routes.openapi(pollRoute, pollHandler);

  return routes;
}
