/**
 * The Hono app: request context, one error handler, one validation hook, and a router per area.
 * The OpenAPI document is generated from the same zod schemas that validate requests.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context';
import { ApiError, mapError } from './lib/api-error';
import { adminAuth } from './middleware/admin-auth';
import { requestContext } from './middleware/request-context';

/** Every validation failure gets the same 400 envelope, naming each bad field. */
export const validationHook = (result: {
  success: boolean;
  error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
}) => {
  if (result.success || !result.error) return;
  const fields = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
  throw new ApiError(400, 'invalid_request', `invalid ${fields.map((f) => f.field).join(', ')}`, {
    details: fields,
  });
};

export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', requestContext());
  app.use('/v1/*', adminAuth());

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'webshare-ops',
      version: '0.1.0',
      description: 'Admin API of webshare-ops: runs a Webshare proxy account from a Cloudflare Worker.',
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', { type: 'http', scheme: 'bearer' });

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError((error, c) => {
    const mapped = mapError(error);
    const log = c.get('log');
    if (mapped.unexpected) log?.error('unhandled error', { error, stack: (error as Error).stack });
    else if (mapped.status >= 500) log?.warn('request failed', { status: mapped.status, error });
    for (const [name, value] of Object.entries(mapped.headers)) c.header(name, value);
    return c.json(mapped.body, mapped.status);
  });

  return app;
}
