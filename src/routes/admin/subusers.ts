/**
 * Sub-users: list (every page), create and refresh (Idempotency-Key aware), read, update, delete.
 * Sub-user objects carry the proxy password: the caller asked for exactly that resource.
 */
import { createRoute } from '../../lib/openapi-app';
import type { Context } from 'hono';
import type { AppEnv } from '../../context';
import { toSubUserUsage } from '../../model/snapshot';
import { RecentSubUsers } from '../../storage/recent-subusers';
import type { ListedSubUser, SubUser, SubUserCreate } from '../../webshare/types';
import { createdSince } from '../../webshare/found';
import { idempotent } from './idempotent';
import { SubUserListOut, SubUserOut, errorResponses, jsonResponse } from './responses';
import { IdempotencyHeaders, SubUserCreateBody, SubUserIdParams, SubUserUpdateBody } from './schemas';
import { ADMIN_SECURITY, adminClient, adminRouter } from './shared';

export const SUBUSERS_TAG = 'Sub-users';
const TAG = SUBUSERS_TAG;

const listSubUsers = createRoute({
  method: 'get',
  path: '/subusers',
  tags: [TAG],
  summary: 'Every sub-user (all pages), with proxy credentials',
  security: ADMIN_SECURITY,
  responses: { 200: jsonResponse(SubUserListOut, 'Every sub-user'), ...errorResponses() },
});

const createSubUser = createRoute({
  method: 'post',
  path: '/subusers',
  tags: [TAG],
  summary: 'Create a sub-user; send Idempotency-Key so a retry never creates two',
  security: ADMIN_SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: SubUserCreateBody } } },
  },
  responses: {
    201: jsonResponse(SubUserOut, 'Created (or, with a reused Idempotency-Key, the stored result)'),
    ...errorResponses(400, 409, 413, 415, 422),
  },
});

const getSubUser = createRoute({
  method: 'get',
  path: '/subusers/{id}',
  tags: [TAG],
  summary: 'One sub-user, with proxy credentials',
  security: ADMIN_SECURITY,
  request: { params: SubUserIdParams },
  responses: { 200: jsonResponse(SubUserOut, 'The sub-user'), ...errorResponses(400, 404) },
});

const updateSubUser = createRoute({
  method: 'patch',
  path: '/subusers/{id}',
  tags: [TAG],
  summary: 'Change some fields of a sub-user',
  security: ADMIN_SECURITY,
  request: {
    params: SubUserIdParams,
    body: { required: true, content: { 'application/json': { schema: SubUserUpdateBody } } },
  },
  responses: {
    200: jsonResponse(SubUserOut, 'The updated sub-user'),
    ...errorResponses(400, 404, 413, 415, 422),
  },
});

const deleteSubUser = createRoute({
  method: 'delete',
  path: '/subusers/{id}',
  tags: [TAG],
  summary: 'Delete a sub-user',
  security: ADMIN_SECURITY,
  request: { params: SubUserIdParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 404) },
});

const refreshSubUser = createRoute({
  method: 'post',
  path: '/subusers/{id}/refresh',
  tags: [TAG],
  summary: "Refresh a sub-user's proxy list; send Idempotency-Key so a retry never refreshes twice",
  description:
    'With an Idempotency-Key, a retry answers with the stored result and spends nothing. After a failure ' +
    'that may have refreshed anyway (timeout, Webshare 5xx) a retry with the key refreshes again: ' +
    'Webshare does not say whether the lost refresh happened.',
  security: ADMIN_SECURITY,
  request: { params: SubUserIdParams, headers: IdempotencyHeaders },
  responses: {
    200: jsonResponse(SubUserOut, 'The sub-user after the refresh (or the stored result, on a replay)'),
    ...errorResponses(400, 404, 409, 422),
  },
});

/**
 * The sub-user a lost create made: the only one made since the key was first claimed (`sinceMs`)
 * whose fields all equal the request's. A look-alike made before the key (same label and limits,
 * say another customer's) must never be handed out: its credentials belong to someone else.
 */
export function findCreated<T extends ListedSubUser>(
  all: T[],
  request: SubUserCreate,
  sinceMs: number,
): T | undefined {
  const matches = all.filter(
    (user) =>
      createdSince(user.created_at, sinceMs) &&
      user.label === request.label &&
      user.proxy_limit === request.proxy_limit &&
      (request.max_thread_count === undefined || user.max_thread_count === request.max_thread_count) &&
      (request.proxy_countries === undefined || sameCountries(user.proxy_countries, request.proxy_countries)),
  );
  // Two identical sub-users since the key: one may be another request's, so neither can be claimed
  // safely; the caller gets a new one rather than another customer's credentials.
  return matches.length === 1 ? matches[0] : undefined;
}

/** Country → count maps as sets of pairs; null and {} both mean "no custom list". */
function sameCountries(a: Record<string, number> | null, b: Record<string, number> | null): boolean {
  const left = Object.entries(a ?? {});
  const right = b ?? {};
  return left.length === Object.keys(right).length && left.every(([code, n]) => right[code] === n);
}

/**
 * Tells chat-ops, the dashboard and /v1/status about a change now, not at the next sub-user refresh
 * (storage/recent-subusers.ts). Best effort: Webshare already made the change, so a KV failure is
 * logged and the answer still goes out.
 */
async function recordForReaders(
  c: Context<AppEnv>,
  record: (recent: RecentSubUsers, nowMs: number) => Promise<void>,
): Promise<void> {
  try {
    await record(new RecentSubUsers(c.env.STATE), Date.now());
  } catch (error) {
    c.get('log').warn('could not record the sub-user change for readers', { error });
  }
}

async function recordCreated(c: Context<AppEnv>, subuser: SubUser, bytesPerGb: number): Promise<SubUser> {
  const usage = toSubUserUsage(subuser, bytesPerGb);
  await recordForReaders(c, (recent, nowMs) => recent.recordCreated(usage, nowMs));
  return subuser;
}

export function subUserRoutes() {
  return adminRouter()
    .openapi(listSubUsers, async (c) => {
      const results = await adminClient(c).listAllSubUsers();
      return c.json({ count: results.length, results }, 200);
    })
    .openapi(createSubUser, async (c) => {
      const body = c.req.valid('json');
      const client = adminClient(c);
      const response = await idempotent(c, c.req.valid('header')['idempotency-key'], {
        status: 201,
        run: async () => recordCreated(c, await client.createSubUser(body), client.bytesPerGb),
        find: async (sinceMs) => {
          const found = findCreated(await client.listAllSubUsers(), body, sinceMs);
          if (!found) return undefined;
          // v2 lists carry no credentials; the answer to a create must (read the one sub-user again).
          const full =
            found.proxy_username === null || found.proxy_password === null
              ? await client.getSubUser(found.id)
              : { ...found, proxy_username: found.proxy_username, proxy_password: found.proxy_password };
          return recordCreated(c, full, client.bytesPerGb);
        },
      });
      c.get('log').info('sub-user created', { status: response.status });
      // A plain Response (a replay is stored bytes, not a typed c.json); its shape is SubUserOut.
      return response as never;
    })
    .openapi(getSubUser, async (c) => c.json(await adminClient(c).getSubUser(c.req.valid('param').id), 200))
    .openapi(updateSubUser, async (c) => {
      const { id } = c.req.valid('param');
      const updated = await adminClient(c).updateSubUser(id, c.req.valid('json'));
      c.get('log').info('sub-user updated', { subUserId: id, fields: Object.keys(c.req.valid('json')) });
      return c.json(updated, 200);
    })
    .openapi(deleteSubUser, async (c) => {
      const { id } = c.req.valid('param');
      await adminClient(c).deleteSubUser(id);
      await recordForReaders(c, (recent, nowMs) => recent.recordDeleted(id, nowMs));
      c.get('log').info('sub-user deleted', { subUserId: id });
      return c.body(null, 204);
    })
    .openapi(refreshSubUser, async (c) => {
      const { id } = c.req.valid('param');
      const client = adminClient(c);
      const response = await idempotent(c, c.req.valid('header')['idempotency-key'], {
        status: 200,
        run: () => client.refreshSubUser(id),
      });
      return response as never;
    });
}
