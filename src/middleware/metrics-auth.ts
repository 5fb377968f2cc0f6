/**
 * Bearer auth for `GET /metrics`: METRICS_TOKEN (a scrape-only token), ADMIN_READ_TOKEN or ADMIN_TOKEN.
 * Every configured token is compared in constant time, whichever matches. As on the admin API, the
 * read-only token counts only while ADMIN_TOKEN is set; with neither ADMIN_TOKEN nor METRICS_TOKEN the
 * route refuses (fail closed), naming the variable to set.
 */
import type { MiddlewareHandler } from 'hono';
import { requireSecret } from '../config';
import type { AppEnv } from '../context';
import { ApiError } from '../lib/api-error';
import { matchConfiguredSecrets } from '../lib/crypto';
import { bearerToken } from './admin-auth';

export function metricsAuth(): MiddlewareHandler<AppEnv> {
  return async function metricsAuth(c, next) {
    const config = c.get('config');
    const admin = config.adminToken ? [config.adminToken, config.adminReadToken] : [];
    const accepted = [config.metricsToken, ...admin].filter((token): token is string => token !== undefined);
    // Says why when METRICS_TOKEN is set but was refused (too short), else that it is not set.
    if (accepted.length === 0) requireSecret(undefined, 'METRICS_TOKEN', config.problems);
    const token = bearerToken(c.req.header('Authorization'));
    if (token === undefined) {
      throw new ApiError(401, 'unauthorized', 'missing bearer token', {
        headers: { 'WWW-Authenticate': 'Bearer realm="webshare-ops"' },
      });
    }
    const matches = await matchConfiguredSecrets(token, accepted);
    if (!matches.includes(true)) {
      throw new ApiError(401, 'unauthorized', 'invalid bearer token', {
        headers: { 'WWW-Authenticate': 'Bearer realm="webshare-ops", error="invalid_token"' },
      });
    }
    await next();
  };
}
