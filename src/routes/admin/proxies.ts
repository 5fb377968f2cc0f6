/**
 * The proxy list: on-demand refresh of the whole list, single replacements and their history. Both
 * writes spend a quota, so both take an Idempotency-Key: a client retrying after a timeout gets the
 * stored answer instead of spending a second refresh or replacement.
 */
import { createRoute } from '../../lib/openapi-app';
import { ApiError } from '../../lib/api-error';
import { toCidr } from '../../lib/ip';
import type { ReplacementInfo } from '../../webshare/types';
import { idempotent } from './idempotent';
import {
  ReplacementInfoOut,
  ReplacementListOut,
  ReplacementOut,
  errorResponses,
  jsonResponse,
} from './responses';
import { trackReplacement } from '../../remediation/tracked';
import { IdempotencyHeaders, ReplaceBody } from './schemas';
import { ADMIN_SECURITY, adminClient, adminRouter } from './shared';

const TAG = 'Proxies';

const refreshList = createRoute({
  method: 'post',
  path: '/proxy-list/refresh',
  tags: [TAG],
  summary: 'Refresh the whole proxy list now (uses one on-demand refresh)',
  description:
    'Checks `ondemand_refreshes_available` first and refuses with 409 `quota_exhausted` when it is 0, ' +
    'without calling the refresh. Answers with the quotas after the refresh. Send an Idempotency-Key: ' +
    'a retry with the same key answers with the stored result and spends nothing. After a failure that ' +
    'may have refreshed anyway (timeout, Webshare 5xx) a retry with the key refreshes again: Webshare ' +
    'does not say whether the lost refresh happened.',
  security: ADMIN_SECURITY,
  request: { headers: IdempotencyHeaders },
  responses: {
    200: jsonResponse(ReplacementInfoOut, 'Refreshed (or, with a reused Idempotency-Key, the stored result)'),
    ...errorResponses(400, 409, 422),
  },
});

const replaceProxy = createRoute({
  method: 'post',
  path: '/proxies/replace',
  tags: [TAG],
  summary:
    'Replace one proxy (an IP) or every proxy in a CIDR range; send Idempotency-Key so a retry never replaces twice',
  description:
    'With an Idempotency-Key, a retry answers with the stored replacement. After a failure that may have ' +
    'replaced anyway (timeout, Webshare 5xx), the retry first looks for a replacement of the same range ' +
    'made since the key was first used, and returns it instead of replacing again. ' +
    'On the v1 API the replacement is done when Webshare answers (201, with `new_ip_address`). On v2 it ' +
    'is asynchronous: 202 with its `id` and `state` (`validating`); the poller follows it on later ticks ' +
    'and announces completion (or failure, by `error_code`). v2 replaces single addresses only.',
  security: ADMIN_SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: ReplaceBody } } },
  },
  responses: {
    201: jsonResponse(ReplacementOut, 'The replacement Webshare made (v1), or the stored one on a replay'),
    202: jsonResponse(ReplacementOut, 'The replacement Webshare accepted and is carrying out (v2)'),
    ...errorResponses(400, 409, 413, 415, 422),
  },
});

const listReplacements = createRoute({
  method: 'get',
  path: '/replacements',
  tags: [TAG],
  summary: 'Replacements made so far',
  security: ADMIN_SECURITY,
  responses: { 200: jsonResponse(ReplacementListOut, 'Every replacement'), ...errorResponses() },
});

export function proxyRoutes() {
  return adminRouter()
    .openapi(refreshList, async (c) => {
      const client = adminClient(c);
      const response = await idempotent(c, c.req.valid('header')['idempotency-key'], {
        status: 200,
        run: async () => {
          requireOndemandRefresh(await client.getReplacementInfo());
          const after = await client.refreshProxyList();
          c.get('log').info('proxy list refreshed', {
            ondemandRefreshesAvailable: after.ondemand_refreshes_available,
          });
          return after;
        },
      });
      // A plain Response (a replay is stored bytes, not a typed c.json); its shape is ReplacementInfoOut.
      return response as never;
    })
    .openapi(replaceProxy, async (c) => {
      const { ip_address } = c.req.valid('json');
      // The schema already checked it; toCidr normalises a bare address to /32 or /128.
      const cidr = toCidr(ip_address) ?? ip_address;
      const client = adminClient(c);
      const inProgress = (r: { state?: string }) => r.state !== undefined && r.state !== 'completed';
      const response = await idempotent(c, c.req.valid('header')['idempotency-key'], {
        status: (replacement) => (inProgress(replacement) ? 202 : 201),
        run: async () => {
          const replacement = await client.createReplacement(cidr);
          c.get('log').info('proxy replacement requested', {
            target: cidr,
            id: replacement.id ?? null,
            state: replacement.state ?? 'completed',
          });
          // The poller follows it on later ticks and announces completion.
          if (inProgress(replacement)) await trackReplacement(c.env.STATE, replacement, 'admin', Date.now());
          return replacement;
        },
        find: async (sinceMs) => {
          const found = await client.findReplacement(cidr, sinceMs);
          // A lost attempt's replacement may still be under way (v2): follow it as a new one would be.
          if (found && inProgress(found)) await trackReplacement(c.env.STATE, found, 'admin', Date.now());
          return found;
        },
      });
      return response as never;
    })
    .openapi(listReplacements, async (c) => {
      const results = await adminClient(c).listReplacements();
      return c.json({ count: results.length, results }, 200);
    });
}

/**
 * Checked before refreshing because a refresh with none left would be Webshare's 400 at best; the
 * caller deserves to be told which quota is spent (and a wasted write counts against rate limits).
 */
function requireOndemandRefresh(info: ReplacementInfo): void {
  if (info.ondemand_refreshes_available > 0) return;
  throw new ApiError(
    409,
    'quota_exhausted',
    `no on-demand refreshes left: ondemand_refreshes_available is 0 (used ${info.ondemand_refreshes_used} of ${info.ondemand_refreshes_total})`,
    {
      details: {
        quota: 'ondemand_refreshes_available',
        ondemand_refreshes_total: info.ondemand_refreshes_total,
        ondemand_refreshes_used: info.ondemand_refreshes_used,
        automatic_refresh_next_at: info.automatic_refresh_next_at,
      },
    },
  );
}
