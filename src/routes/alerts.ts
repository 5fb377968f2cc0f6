/**
 * Alert admin routes: silences (create, list, delete) and a test message to every channel.
 * Mounted under /v1, so the admin bearer auth applies; the read-only token may list silences.
 */
import * as z from 'zod';
import { createRoute, OpenAPIHono } from '../lib/openapi-app';
import { sendTestNotifications } from '../alerts/test-messages';
import { addSilence, deleteSilence, readSilences, SilenceLimitError } from '../alerts/silences';
import type { AppEnv } from '../context';
import { ApiError } from '../lib/api-error';
import { SubrequestBudget } from '../lib/budget';
import { errorResponses, jsonResponse } from './admin/responses';
import { ADMIN_SECURITY } from './admin/shared';

const TAG = 'Alerts';
const MAX_SILENCE_DAYS = 90;

const Matcher = z
  .object({
    key: z.string().min(1).max(200).optional().openapi({
      description: 'An alert key (`bandwidth`, `subuser:42`) or a prefix ending in `*`',
      example: 'subuser:*',
    }),
    rule: z.string().min(1).max(100).optional().openapi({ example: 'bandwidth' }),
  })
  .refine((m) => m.key !== undefined || m.rule !== undefined, { message: 'give key, rule or both' });

const SilenceIn = z
  .object({
    matcher: Matcher,
    starts_at: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Default: now' }),
    ends_at: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'Give ends_at or duration_minutes' }),
    duration_minutes: z
      .number()
      .int()
      .positive()
      .max(MAX_SILENCE_DAYS * 1440)
      .optional(),
    comment: z.string().trim().min(1).max(500).openapi({ example: 'planned load test' }),
  })
  .refine((s) => (s.ends_at === undefined) !== (s.duration_minutes === undefined), {
    message: 'give exactly one of ends_at and duration_minutes',
    path: ['ends_at'],
  })
  .openapi('SilenceInput');

const SilenceOut = z
  .object({
    id: z.string(),
    matcher: z.object({
      key: z.string().optional(),
      rule: z.string().optional(),
      incident: z.string().optional().openapi({
        description:
          'Set by Slack\'s "Silence until resolved": the start of the one incident it covers; it ends when that incident resolves',
      }),
    }),
    starts_at: z.string(),
    ends_at: z.string(),
    comment: z.string(),
    created_at: z.string(),
  })
  .openapi('Silence');

const ChannelResultOut = z
  .object({
    channel: z.enum(['slack', 'discord', 'webhook']),
    outcome: z.enum(['delivered', 'queued', 'undeliverable', 'not_configured']),
    status: z.number().nullable(),
    error: z.string().nullable(),
  })
  .openapi('ChannelResult');

const listSilences = createRoute({
  method: 'get',
  path: '/silences',
  tags: [TAG],
  summary: 'Active and scheduled silences',
  security: ADMIN_SECURITY,
  responses: {
    200: jsonResponse(z.object({ silences: z.array(SilenceOut) }), 'The silences that have not ended'),
    ...errorResponses(),
  },
});

const createSilence = createRoute({
  method: 'post',
  path: '/silences',
  tags: [TAG],
  summary: 'Silence alerts matching a key and/or rule for a while',
  description:
    'Silenced alerts still change state but send nothing; an alert first announced after its silence ' +
    'ends is announced then, and an alert never announced is never resolved.',
  security: ADMIN_SECURITY,
  request: { body: { required: true, content: { 'application/json': { schema: SilenceIn } } } },
  responses: { 201: jsonResponse(SilenceOut, 'The silence'), ...errorResponses(400, 409) },
});

const removeSilence = createRoute({
  method: 'delete',
  path: '/silences/{id}',
  tags: [TAG],
  summary: 'End a silence now',
  security: ADMIN_SECURITY,
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(404) },
});

const testAlerts = createRoute({
  method: 'post',
  path: '/alerts/test',
  tags: [TAG],
  summary: 'Send a test message to every configured channel and report each result',
  security: ADMIN_SECURITY,
  responses: {
    200: jsonResponse(z.object({ results: z.array(ChannelResultOut) }), 'One result per channel'),
    ...errorResponses(),
  },
});

export function alertsRoutes(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>()
    .openapi(listSilences, async (c) => {
      return c.json({ silences: await readSilences(c.env.STATE, Date.now()) }, 200);
    })
    .openapi(createSilence, async (c) => {
      const body = c.req.valid('json');
      const now = Date.now();
      const startsMs = body.starts_at ? Date.parse(body.starts_at) : now;
      const endsMs = body.ends_at
        ? Date.parse(body.ends_at)
        : startsMs + (body.duration_minutes ?? 0) * 60_000;
      const problem =
        endsMs <= startsMs
          ? 'ends_at must be after starts_at'
          : endsMs <= now
            ? 'ends_at is in the past'
            : endsMs - startsMs > MAX_SILENCE_DAYS * 86_400_000
              ? `a silence lasts at most ${MAX_SILENCE_DAYS} days`
              : null;
      if (problem) {
        throw new ApiError(400, 'invalid_request', `invalid ends_at`, {
          details: [{ field: 'ends_at', message: problem }],
        });
      }
      try {
        const silence = await addSilence(
          c.env.STATE,
          {
            matcher: body.matcher,
            starts_at: new Date(startsMs).toISOString(),
            ends_at: new Date(endsMs).toISOString(),
            comment: body.comment,
          },
          now,
        );
        c.get('log').info('silence created', {
          id: silence.id,
          matcher: silence.matcher,
          ends_at: silence.ends_at,
        });
        return c.json(silence, 201);
      } catch (error) {
        if (error instanceof SilenceLimitError) throw new ApiError(409, 'too_many_silences', error.message);
        throw error;
      }
    })
    .openapi(removeSilence, async (c) => {
      const { id } = c.req.valid('param');
      if (!(await deleteSilence(c.env.STATE, id, Date.now()))) {
        throw new ApiError(404, 'not_found', `no active silence ${id}`);
      }
      c.get('log').info('silence deleted', { id });
      return c.body(null, 204);
    })
    .openapi(testAlerts, async (c) => {
      const results = await sendTestNotifications(
        c.get('config'),
        new SubrequestBudget(10),
        c.get('log'),
        Date.now(),
      );
      return c.json({ results }, 200);
    });
}
