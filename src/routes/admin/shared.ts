/** What every admin route module shares: its Hono type, the security requirement and the client. */
import { OpenAPIHono } from '../../lib/openapi-app';
import type { Context } from 'hono';
import type { AppEnv } from '../../context';
import { openWebshare } from '../../webshare/open';
import type { WebshareApi } from '../../webshare/port';

/** Every /v1 route requires the bearer token (the scheme is registered in app.ts). */
export const ADMIN_SECURITY = [{ adminToken: [] }];

/**
 * An HTTP caller is waiting, so the client gives up sooner than the cron's: one retry of a read, and
 * never a sleep longer than 2 s (a longer Retry-After goes back to the caller as 429 + Retry-After).
 */
export const ADMIN_MAX_ATTEMPTS = 2;
export const ADMIN_MAX_RETRY_WAIT_MS = 2_000;

export function adminClient(c: Context<AppEnv>): WebshareApi {
  return openWebshare(c.get('config'), {
    maxAttempts: ADMIN_MAX_ATTEMPTS,
    maxRetryWaitMs: ADMIN_MAX_RETRY_WAIT_MS,
    kv: c.env.STATE,
    accessLock: c.env.ACCESS_LOCK,
  });
}

/**
 * A router for one area of the admin API. It sets no defaultHook of its own: once mounted with
 * app.route(), @hono/zod-openapi resolves the app's one validationHook through the parent chain
 * (importing it here would make a cycle with app.ts).
 */
export function adminRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>();
}
