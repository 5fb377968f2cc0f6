/**
 * `Cache-Control: no-store` on every answer of a router. The admin API and the signup hooks answer
 * with proxy credentials (GET/PATCH /v1/proxy-config, a password reset, a created sub-user, a signup's
 * sub-user, and their replays); no shared or browser cache may keep them. Set after the handler, so
 * it also covers errors and replays (stored bytes, not c.json), whatever a handler set.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';

export function noStore(): MiddlewareHandler<AppEnv> {
  return async function noStore(c, next) {
    await next();
    c.header('Cache-Control', 'no-store');
  };
}
