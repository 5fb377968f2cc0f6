/**
 * The Hono app: request context, one error handler, one validation hook, and a router per area.
 * The OpenAPI document is generated from the same route definitions and zod schemas that validate
 * requests, at build time (scripts/build-openapi.ts → public/openapi.json, a static asset), not per
 * isolate and not in the bundle.
 */
import { OpenAPIHono } from './lib/openapi-app';
import type { AppEnv } from './context';
import { warnSubUserHeaderIgnored } from './cycle/subuser-header-warning';
import { SUBUSER_HEADER_IGNORED_CODE, mapError } from './error-mapping';
import { validationHook } from './lib/validation';
import { adminAuth } from './middleware/admin-auth';
import { jsonBody } from './middleware/json-body';
import { noStore } from './middleware/no-store';
import { requestContext } from './middleware/request-context';
import { createAdminRoutes } from './routes/admin';
import { alertsRoutes } from './routes/alerts';
import { docsRoutes } from './routes/docs';
import { openApiDocumentRoutes } from './routes/openapi-document';
import { hooksRoutes } from './routes/hooks';
import { inBackground } from './routes/in-background';
import { dashboardRoutes } from './routes/dashboard';
import { chatopsRoutes } from './routes/chatops';
import { metricsRoutes } from './routes/metrics';
import { statusRoutes } from './routes/status';

/** The document's header; scripts/build-openapi.ts adds the recorded routes and components. */
export const OPENAPI_OBJECT = {
  openapi: '3.1.0',
  info: {
    title: 'webshare-ops',
    version: '0.1.0',
    description: 'Admin API of webshare-ops: runs a Webshare proxy account from a Cloudflare Worker.',
  },
  // Relative: the worker that served the document. /openapi.json puts PUBLIC_URL first when it is set.
  servers: [{ url: '/', description: 'This worker (the origin the document was fetched from)' }],
  // The default for an operation; every route also declares its own (`[]` where no token is taken).
  security: [{ adminToken: [] }],
  // Every tag a route uses, described (SDK generators group methods by tag; linters want them declared).
  tags: [
    { name: 'health', description: 'Liveness for uptime checkers, metrics for Prometheus.' },
    { name: 'poller', description: 'The cron poller: status, snapshot history, a tick on demand.' },
    {
      name: 'Account',
      description: 'The Webshare account: subscription, proxy configuration, authorised IPs, password.',
    },
    { name: 'Proxies', description: 'The proxy list and proxy replacements.' },
    { name: 'Sub-users', description: 'Webshare sub-users, their usage and their proxies.' },
    { name: 'Alerts', description: 'Alert silences and test messages to the channels.' },
    { name: 'hooks', description: 'Signed webhooks from a SaaS back end and from Stripe (no bearer token).' },
    {
      name: 'chat-ops',
      description: 'Slack and Discord commands, signed by the platform (no bearer token).',
    },
  ],
};

export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', requestContext());
  // Answers that carry credentials (the admin API, the signup hooks) are never cached.
  app.use('/v1/*', noStore());
  app.use('/hooks/*', noStore());
  app.use('/v1/*', adminAuth());
  // After auth, so an unauthenticated caller gets 401 before any body is read.
  app.use('/v1/*', jsonBody());

  app.route('/', statusRoutes());
  app.route('/', dashboardRoutes());
  app.route('/', metricsRoutes());
  app.route('/v1', createAdminRoutes());
  app.route('/', docsRoutes());
  app.route('/hooks', hooksRoutes);
  app.route('/chatops', chatopsRoutes);
  app.route('/v1', alertsRoutes());
  app.route('/', openApiDocumentRoutes());
  app.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', { type: 'http', scheme: 'bearer' });

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError(async (error, c) => {
    const mapped = mapError(error);
    const log = c.get('log');
    if (mapped.unexpected) log?.error('unhandled error', { error, stack: (error as Error).stack });
    else if (mapped.status >= 500) log?.warn('request failed', { status: mapped.status, error });
    const config = c.get('config');
    if (mapped.body.error.code === SUBUSER_HEADER_IGNORED_CODE && config && log) {
      await inBackground(c, warnSubUserHeaderIgnored(c.env, config, log, Date.now()));
    }
    for (const [name, value] of Object.entries(mapped.headers)) c.header(name, value);
    return c.json(mapped.body, mapped.status);
  });

  return app;
}
