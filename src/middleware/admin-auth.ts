/**
 * Bearer auth for the admin API. `ADMIN_TOKEN` may do anything; the optional `ADMIN_READ_TOKEN` may
 * only read (GET/HEAD). With no ADMIN_TOKEN configured every route refuses: fail closed.
 */
import type { MiddlewareHandler } from 'hono';
import { requireSecret } from '../config';
import type { AppEnv } from '../context';
import { ApiError } from '../lib/api-error';
import { matchConfiguredSecrets } from '../lib/crypto';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="webshare-ops"' };

/** Extracts the token from `Authorization: Bearer <token>`; undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

export type AdminRole = 'admin' | 'read';

/** Which role a presented token grants, comparing against every configured token in constant time. */
export async function roleForToken(
  token: string | undefined,
  adminToken: string,
  readToken: string | undefined,
): Promise<AdminRole | null> {
  if (token === undefined) return null;
  const [isAdmin, isReader] = await matchConfiguredSecrets(token, [adminToken, readToken]);
  if (isAdmin) return 'admin';
  return isReader ? 'read' : null;
}

export function adminAuth(): MiddlewareHandler<AppEnv> {
  return async function adminAuth(c, next) {
    const config = c.get('config');
    const adminToken = requireSecret(config.adminToken, 'ADMIN_TOKEN', config.problems);
    const token = bearerToken(c.req.header('Authorization'));
    if (token === undefined) {
      throw new ApiError(401, 'unauthorized', 'missing bearer token', { headers: CHALLENGE });
    }
    const role = await roleForToken(token, adminToken, config.adminReadToken);
    if (role === null) {
      throw new ApiError(401, 'unauthorized', 'invalid bearer token', {
        headers: { 'WWW-Authenticate': 'Bearer realm="webshare-ops", error="invalid_token"' },
      });
    }
    if (role === 'read' && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      throw new ApiError(403, 'forbidden', 'the read-only token (ADMIN_READ_TOKEN) may only call GET routes');
    }
    await next();
  };
}
