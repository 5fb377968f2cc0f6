/**
 * Reads as a sub-user (Webshare's X-Webshare-SubUser masquerade): its stats, its proxy config and
 * one page of its proxy list, so support can see exactly what a customer sees.
 */
import { createRoute } from '../../lib/openapi-app';
import { ProxyConfigOut, ProxyPageOut, ProxyStatsOut, errorResponses, jsonResponse } from './responses';
import { ProxyListQuery, SubUserIdParams } from './schemas';
import { ADMIN_SECURITY, adminClient, adminRouter } from './shared';
import { SUBUSERS_TAG } from './subusers';

const getStats = createRoute({
  method: 'get',
  path: '/subusers/{id}/stats',
  tags: [SUBUSERS_TAG],
  summary: "The sub-user's usage stats (as the sub-user)",
  security: ADMIN_SECURITY,
  request: { params: SubUserIdParams },
  responses: { 200: jsonResponse(ProxyStatsOut, 'Usage stats'), ...errorResponses(400, 404) },
});

const getProxyConfig = createRoute({
  method: 'get',
  path: '/subusers/{id}/proxy-config',
  tags: [SUBUSERS_TAG],
  summary: "The sub-user's proxy config, including its proxy password (as the sub-user)",
  security: ADMIN_SECURITY,
  request: { params: SubUserIdParams },
  responses: { 200: jsonResponse(ProxyConfigOut, 'The proxy config'), ...errorResponses(400, 404) },
});

const listProxies = createRoute({
  method: 'get',
  path: '/subusers/{id}/proxies',
  tags: [SUBUSERS_TAG],
  summary: "One page of the sub-user's proxy list (as the sub-user), in Webshare's page shape",
  security: ADMIN_SECURITY,
  request: { params: SubUserIdParams, query: ProxyListQuery },
  responses: { 200: jsonResponse(ProxyPageOut, 'One page of proxies'), ...errorResponses(400, 404) },
});

export function subUserViewRoutes() {
  return adminRouter()
    .openapi(getStats, async (c) => {
      const view = adminClient(c).asSubUser(c.req.valid('param').id);
      return c.json(await view.getProxyStats(), 200);
    })
    .openapi(getProxyConfig, async (c) => {
      const view = adminClient(c).asSubUser(c.req.valid('param').id);
      return c.json(await view.getProxyConfig(), 200);
    })
    .openapi(listProxies, async (c) => {
      const { page, countries } = c.req.valid('query');
      const view = adminClient(c).asSubUser(c.req.valid('param').id);
      return c.json(await view.listProxies({ page, countries }), 200);
    });
}
