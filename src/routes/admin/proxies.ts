/** The proxy list: on-demand refresh of the whole list, single replacements and their history. */
import { createRoute } from '../../lib/openapi-app';
import { ApiError } from '../../lib/api-error';
import { toCidr } from '../../lib/ip';
import {
  ReplacementInfoOut,
  ReplacementListOut,
  ReplacementOut,
  errorResponses,
  jsonResponse,
} from './responses';
import { ReplaceBody } from './schemas';
import { ADMIN_SECURITY, adminClient, adminRouter } from './shared';

const TAG = 'Proxies';

const refreshList = createRoute({
  method: 'post',
  path: '/proxy-list/refresh',
  tags: [TAG],
  summary: 'Refresh the whole proxy list now (uses one on-demand refresh)',
  description:
    'Checks `ondemand_refreshes_available` first and refuses with 409 `quota_exhausted` when it is 0, ' +
    'without calling the refresh. Answers with the quotas after the refresh.',
  security: ADMIN_SECURITY,
  responses: {
    200: jsonResponse(ReplacementInfoOut, 'Refreshed; the quotas afterwards'),
    ...errorResponses(409),
  },
});

const replaceProxy = createRoute({
  method: 'post',
  path: '/proxies/replace',
  tags: [TAG],
  summary: 'Replace one proxy (an IP) or every proxy in a CIDR range',
  security: ADMIN_SECURITY,
  request: {
    body: { required: true, content: { 'application/json': { schema: ReplaceBody } } },
  },
  responses: {
    201: jsonResponse(ReplacementOut, 'The replacement Webshare started'),
    ...errorResponses(400, 413, 415, 422),
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
      const info = await client.getReplacementInfo();
      // Checked here because a refresh with none left would be Webshare's 400 at best; the caller
      // deserves to be told which quota is spent (and a wasted write counts against rate limits).
      if (info.ondemand_refreshes_available <= 0) {
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
      const after = await client.refreshProxyList();
      c.get('log').info('proxy list refreshed', {
        ondemandRefreshesAvailable: after.ondemand_refreshes_available,
      });
      return c.json(after, 200);
    })
    .openapi(replaceProxy, async (c) => {
      const { ip_address } = c.req.valid('json');
      // The schema already checked it; toCidr normalises a bare address to /32 or /128.
      const cidr = toCidr(ip_address) ?? ip_address;
      const replacement = await adminClient(c).createReplacement(cidr);
      c.get('log').info('proxy replacement requested', { target: cidr });
      return c.json(replacement, 201);
    })
    .openapi(listReplacements, async (c) => {
      const results = await adminClient(c).listReplacements();
      return c.json({ count: results.length, results }, 200);
    });
}
