/** Account reads: the subscription, the proxy config (a credential) and the replacement quotas. */
import { createRoute } from '../../lib/openapi-app';
import {
  ProxyConfigOut,
  ReplacementInfoOut,
  SubscriptionOut,
  errorResponses,
  jsonResponse,
} from './responses';
import { ADMIN_SECURITY, adminClient, adminRouter } from './shared';

const TAG = 'Account';

const getSubscription = createRoute({
  method: 'get',
  path: '/subscription',
  tags: [TAG],
  summary: 'The Webshare subscription: plan, bandwidth limit, refresh quotas, dates',
  security: ADMIN_SECURITY,
  responses: { 200: jsonResponse(SubscriptionOut, 'The subscription'), ...errorResponses() },
});

const getProxyConfig = createRoute({
  method: 'get',
  path: '/proxy-config',
  tags: [TAG],
  summary: 'The proxy config of the account, including the proxy username and password',
  description:
    '`authorized_ips` lists the addresses that may use the proxies without a password; change them with PATCH.',
  security: ADMIN_SECURITY,
  responses: { 200: jsonResponse(ProxyConfigOut, 'The proxy config'), ...errorResponses() },
});

const getReplacementInfo = createRoute({
  method: 'get',
  path: '/replacement-info',
  tags: [TAG],
  summary: 'Refresh and replacement quotas: totals, used, available, next automatic refresh',
  security: ADMIN_SECURITY,
  responses: { 200: jsonResponse(ReplacementInfoOut, 'The quotas'), ...errorResponses() },
});

export function accountRoutes() {
  return (
    adminRouter()
      .openapi(getSubscription, async (c) => c.json(await adminClient(c).getSubscription(), 200))
      // Both dialects' configs carry the authorised IPs (v2 reads them from ipauthorization/ itself).
      .openapi(getProxyConfig, async (c) => c.json(await adminClient(c).getProxyConfig(), 200))
      .openapi(getReplacementInfo, async (c) => c.json(await adminClient(c).getReplacementInfo(), 200))
  );
}
