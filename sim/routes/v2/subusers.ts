/**
 * v2 sub-users: the v1 handlers over the same state (validation, limits, refresh, 204 delete), with
 * every answer in the v2 object shape, which carries no proxy credentials.
 */
import { json } from '../../responses';
import type { SimState } from '../../state';
import { subUserRoutes } from '../subusers';
import type { ApiHandler, ApiMethod, ApiRoute } from '../types';
import { v2SubUserBody } from './shared';

function toV2(state: SimState, body: unknown): unknown {
  const record = body as { id?: unknown; results?: unknown[] } | null;
  if (record && Array.isArray(record.results)) {
    return { ...record, results: record.results.map((item) => toV2(state, item)) };
  }
  const subUser = typeof record?.id === 'number' ? state.subUsers.get(record.id) : undefined;
  return subUser ? v2SubUserBody(subUser) : body;
}

function asV2(handler: ApiHandler): ApiHandler {
  return async (context) => {
    const result = await handler(context);
    if (!(result instanceof Response)) return toV2(context.state, result);
    if (result.status === 204) return result;
    return json(toV2(context.state, await result.json()), result.status);
  };
}

export const v2SubUserRoutes: ApiRoute[] = subUserRoutes.map((route) => ({
  ...route,
  dialect: 'v2',
  path: route.path.replace('/api/subuser/', '/api/v2/subuser/'),
  methods: Object.fromEntries(
    Object.entries(route.methods).map(([method, handler]) => [method as ApiMethod, asV2(handler)]),
  ),
}));
