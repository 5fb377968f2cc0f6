/**
 * The operationId of every documented operation, by "METHOD /path" as the document lists it. Client
 * SDK generators name their methods after these, so an id is a contract: keep it when a route's
 * summary or handler changes, and never reuse one. One table rather than a field in each createRoute,
 * so the names read (and stay unique and consistent) in one place; scripts/build-openapi.ts refuses
 * a documented route missing here, an id used twice, and an entry no route matches.
 */
import type { RouteConfig } from '@hono/zod-openapi';

export const OPERATION_IDS: Readonly<Record<string, string>> = {
  'GET /healthz': 'getHealth',
  'GET /metrics': 'getMetrics',
  'GET /v1/status': 'getStatus',
  'GET /v1/snapshots': 'listSnapshots',
  'POST /v1/poll': 'pollNow',
  'GET /v1/subscription': 'getSubscription',
  'GET /v1/proxy-config': 'getProxyConfig',
  'PATCH /v1/proxy-config': 'updateAuthorizedIps',
  'POST /v1/proxy-config/reset-password': 'resetProxyPassword',
  'GET /v1/replacement-info': 'getReplacementInfo',
  'GET /v1/doctor': 'runDoctor',
  'POST /v1/proxy-list/refresh': 'refreshProxyList',
  'POST /v1/proxies/replace': 'replaceProxies',
  'GET /v1/replacements': 'listReplacements',
  'GET /v1/subusers': 'listSubUsers',
  'POST /v1/subusers': 'createSubUser',
  'GET /v1/subusers/{id}': 'getSubUser',
  'PATCH /v1/subusers/{id}': 'updateSubUser',
  'DELETE /v1/subusers/{id}': 'deleteSubUser',
  'POST /v1/subusers/{id}/refresh': 'refreshSubUser',
  'GET /v1/subusers/{id}/stats': 'getSubUserStats',
  'GET /v1/subusers/{id}/proxy-config': 'getSubUserProxyConfig',
  'GET /v1/subusers/{id}/proxies': 'listSubUserProxies',
  'GET /v1/silences': 'listSilences',
  'POST /v1/silences': 'createSilence',
  'DELETE /v1/silences/{id}': 'deleteSilence',
  'POST /v1/alerts/test': 'sendTestAlerts',
  'POST /hooks/signup': 'receiveSignupEvent',
  'POST /hooks/stripe': 'receiveStripeEvent',
  'POST /chatops/slack': 'handleSlackCommand',
  'POST /chatops/slack/interactions': 'handleSlackInteraction',
  'POST /chatops/discord': 'handleDiscordInteraction',
};

const operationKey = (route: RouteConfig) => `${route.method.toUpperCase()} ${route.path}`;

/**
 * The routes as the document lists them: each with its operationId from the table, each declaring
 * its security (`[]` when it takes no token), so no operation inherits the bearer by omission.
 */
export function withOperationIds(routes: readonly RouteConfig[]): RouteConfig[] {
  const named = routes.map((route) => {
    const key = operationKey(route);
    const operationId = OPERATION_IDS[key];
    if (!operationId) throw new Error(`${key}: no operationId; add one to scripts/openapi-operation-ids.ts`);
    if (!route.security)
      throw new Error(`${key}: declare its security (PUBLIC_SECURITY when it takes no token)`);
    return { ...route, operationId };
  });
  const listed = new Set(routes.map(operationKey));
  const stale = Object.keys(OPERATION_IDS).filter((key) => !listed.has(key));
  if (stale.length > 0) throw new Error(`operationIds for routes that do not exist: ${stale.join(', ')}`);
  const ids = named.map((route) => route.operationId);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length > 0) throw new Error(`operationIds used twice: ${twice.join(', ')}`);
  return named;
}
