/**
 * Proxy access: PATCH /v1/proxy-config replaces the authorised IPs (answering what changed), and
 * POST /v1/proxy-config/reset-password sets a new proxy password, once per Idempotency-Key, shows it
 * in that answer only and announces the reset (without it) on the alert channels.
 */
import { createRoute } from '../../lib/openapi-app';
import type { Context } from 'hono';
import { announceAccessChange, authorizedIpsNotice, passwordResetNotice } from '../../alerts/access-notices';
import type { AppEnv } from '../../context';
import { outsideTickSender } from '../../cycle/hand-over';
import { SubrequestBudget } from '../../lib/budget';
import { ACCESS_WEBSHARE_SUBREQUESTS, replaceWith } from '../../webshare/access';
import { openWebshare } from '../../webshare/open';
import type { WebshareApi } from '../../webshare/port';
import {
  AuthorizedIpsBody,
  AuthorizedIpsChangeOut,
  ResetPasswordBody,
  ResetPasswordOut,
} from './access-schemas';
import { idempotent } from './idempotent';
import { errorResponses, jsonResponse } from './responses';
import { IdempotencyHeaders } from './schemas';
import { ADMIN_MAX_ATTEMPTS, ADMIN_MAX_RETRY_WAIT_MS, ADMIN_SECURITY, adminRouter } from './shared';

const TAG = 'Account';

/** The port for an access change: the admin client's, within what an access change may spend. */
export function adminAccess(c: Context<AppEnv>): WebshareApi {
  return openWebshare(c.get('config'), {
    maxAttempts: ADMIN_MAX_ATTEMPTS,
    maxRetryWaitMs: ADMIN_MAX_RETRY_WAIT_MS,
    // What the Free plan's 50 subrequests leave after the change lock and the announcement.
    budget: new SubrequestBudget(ACCESS_WEBSHARE_SUBREQUESTS),
    kv: c.env.STATE,
    accessLock: c.env.ACCESS_LOCK,
  });
}

const updateAuthorizedIps = createRoute({
  method: 'patch',
  path: '/proxy-config',
  tags: [TAG],
  summary: 'Replace the authorised IPs; the answer says what was added and removed',
  description:
    'Only `authorized_ips` can be changed. Nothing is written when the set is already the one asked ' +
    'for. Changes run one at a time (409 with Retry-After when another one holds the set for more ' +
    'than 10 s); the answer is the set read back after the write. On Webshare v2 one request adds ' +
    'and removes at most 29 addresses (422 too_many_authorized_ip_changes beyond, nothing written). ' +
    'A change is announced on the alert channels (info).',
  security: ADMIN_SECURITY,
  request: { body: { required: true, content: { 'application/json': { schema: AuthorizedIpsBody } } } },
  responses: {
    200: jsonResponse(AuthorizedIpsChangeOut, 'The change and the whole set afterwards'),
    ...errorResponses(400, 409, 413, 415, 422),
  },
});

const resetPassword = createRoute({
  method: 'post',
  path: '/proxy-config/reset-password',
  tags: [TAG],
  summary: 'Set a new proxy password; send Idempotency-Key so a retry never resets twice',
  description:
    'The new password is in this answer only (and in its replays for the same Idempotency-Key, for ' +
    '24 h). The reset is announced on the alert channels (warning) without the password. On Webshare ' +
    'v2, which has no reset endpoint, the worker generates 24 random alphanumerics and sets them.',
  security: ADMIN_SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: { required: false, content: { 'application/json': { schema: ResetPasswordBody } } },
  },
  responses: {
    200: jsonResponse(
      ResetPasswordOut,
      'The new credentials (or, with a reused Idempotency-Key, the stored answer)',
    ),
    ...errorResponses(400, 409, 413, 415, 422),
  },
});

export function accessRoutes() {
  return adminRouter()
    .openapi(updateAuthorizedIps, async (c) => {
      const { authorized_ips } = c.req.valid('json');
      const change = await adminAccess(c).updateAuthorizedIps(replaceWith(authorized_ips));
      const log = c.get('log');
      log.info('authorised IPs updated', { added: change.added.length, removed: change.removed.length });
      if (change.added.length > 0 || change.removed.length > 0) {
        const nowMs = Date.now();
        const notice = await authorizedIpsNotice({
          actor: { via: 'admin_api' },
          nowMs,
          added: change.added,
          removed: change.removed,
          total: change.authorized_ips.length,
        });
        await announceAccessChange(outsideTickSender(c.env, c.get('config'), log, nowMs), log, notice);
      }
      return c.json(change, 200);
    })
    .openapi(resetPassword, async (c) => {
      const { reason } = c.req.valid('json') ?? {};
      const log = c.get('log');
      const response = await idempotent(c, c.req.valid('header')['idempotency-key'], {
        status: 200,
        run: async () => {
          const { username, password } = await adminAccess(c).resetPassword();
          const nowMs = Date.now();
          const notice = await passwordResetNotice({ actor: { via: 'admin_api' }, nowMs, reason });
          const send = outsideTickSender(c.env, c.get('config'), log, nowMs);
          const announced = await announceAccessChange(send, log, notice);
          log.info('proxy password reset', { announcedTo: announced.length });
          return { username, password, reset_at: new Date(nowMs).toISOString(), announced };
        },
        // A reset that may have happened cannot be seen from outside (the old password is not
        // kept), so the retry resets again: the answer then holds the password now in force.
        find: () => Promise.resolve(undefined),
      });
      // A plain Response (a replay is stored bytes, not a typed c.json); its shape is ResetPasswordOut.
      return response as never;
    });
}
