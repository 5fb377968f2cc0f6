/**
 * `GET /metrics`: the account and the worker in the Prometheus text format, for Prometheus or Grafana
 * Agent to scrape. Served from the poller state only (one KV read, two at the top of an hour before
 * that hour's first tick), never a Webshare call, so a 15-second scrape interval costs nothing upstream.
 */
import * as z from 'zod';
import '../lib/zod-openapi-metadata';
import { OpenAPIHono, createRoute } from '../lib/openapi-app';
import type { AppEnv } from '../context';
import { PROMETHEUS_CONTENT_TYPE, renderExposition } from '../lib/prometheus';
import { validationHook } from '../lib/validation';
import { metricsAuth } from '../middleware/metrics-auth';
import { metricFamilies } from '../status/metrics';
import { PollerStore } from '../storage/poller-store';
import { errorResponse } from './openapi-common';

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['health'],
  summary:
    'Prometheus metrics from the latest snapshot (bearer: METRICS_TOKEN, ADMIN_READ_TOKEN or ADMIN_TOKEN)',
  security: [{ adminToken: [] }],
  middleware: [metricsAuth()] as const,
  responses: {
    200: {
      description: 'Text exposition format 0.0.4',
      content: { 'text/plain': { schema: z.string() } },
    },
    401: errorResponse('Missing or wrong bearer token'),
    503: errorResponse('No token configured (names the variable)'),
  },
});

export function metricsRoutes(): OpenAPIHono<AppEnv> {
  const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  routes.openapi(metricsRoute, async (c) => {
    const config = c.get('config');
    const nowMs = Date.now();
    const { state } = await new PollerStore(c.env.STATE, config.historyRetentionDays).readState(nowMs);
    c.header('Cache-Control', 'no-store');
    // c.text sets text/plain; the format's version parameter tells Prometheus which parser to use.
    return c.text(renderExposition(metricFamilies(state, nowMs)), 200, {
      'Content-Type': PROMETHEUS_CONTENT_TYPE,
    });
  });
  return routes;
}
