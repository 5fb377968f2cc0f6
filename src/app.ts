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
