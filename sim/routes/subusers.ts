/** Sub-users: create, list (paginated), get, partial update, delete (204) and refresh of a custom list. */
import { pageSlice } from '../pagination';
import { token } from '../random';
import { detail, fieldErrors, json, notFound } from '../responses';
import { emptyCounters, type SimState, type SimSubUser } from '../state';
import { validateSubUser } from '../subuser-validation';
import type { ApiContext, ApiRoute } from './types';

const DAY_MS = 86_400_000;
/** Sub-user bandwidth resets monthly: the end date is read-only, start + 30 days. */
const SUBUSER_PERIOD_DAYS = 30;
const DEFAULT_MAX_THREADS = 500;

/** The documented user object (without the simulator's bookkeeping). */
export function subUserBody(subUser: SimSubUser): Record<string, unknown> {
  const { listOffset: _listOffset, requests: _requests, ...body } = subUser;
  return { ...body, proxy_countries: body.proxy_countries ? { ...body.proxy_countries } : null };
}

function find(state: SimState, params: Record<string, string>): SimSubUser {
  const id = params.id ?? '';
  const subUser = /^\d+$/.test(id) ? state.subUsers.get(Number(id)) : undefined;
  if (!subUser) throw notFound();
  return subUser;
}

function endOfUse(startIso: string): string {
  return new Date(Date.parse(startIso) + SUBUSER_PERIOD_DAYS * DAY_MS).toISOString();
}

async function create({ state, body, nowMs }: ApiContext): Promise<Response> {
  const { issues, values } = validateSubUser(await body(), 'create');
  if (issues.length > 0) throw fieldErrors(issues, state.options.fieldErrorShape);
  if (state.subUsers.size >= state.options.subUserLimit) {
    throw detail(400, 'You have reached the maximum number of sub-users allowed by your plan.');
  }
  const id = state.nextSubUserId++;
  const now = new Date(nowMs).toISOString();
  const subUser: SimSubUser = {
    id,
    label: values.label as string,
    proxy_username: token(8, state.options.seed, 21, id).replace(/\d/g, 'z'),
    proxy_password: token(12, state.options.seed, 22, id),
    proxy_countries: values.proxy_countries ?? null,
    proxy_limit: values.proxy_limit as number,
    proxy_usage: 0,
    max_thread_count: values.max_thread_count ?? DEFAULT_MAX_THREADS,
    last_use: null,
    created_at: now,
    updated_at: now,
    bandwidth_use_start_date: now,
    bandwidth_use_end_date: endOfUse(now),
    verification_status: 'not_required',
    listOffset: 0,
    requests: emptyCounters(),
  };
  state.subUsers.set(id, subUser);
  return json(subUserBody(subUser), 201);
}

async function update({ state, params, body, nowMs }: ApiContext): Promise<unknown> {
  const subUser = find(state, params);
  const { issues, values } = validateSubUser(await body(), 'update');
  if (issues.length > 0) throw fieldErrors(issues, state.options.fieldErrorShape);
  const { bandwidth_use_start_date: start, ...rest } = values;
  Object.assign(subUser, rest);
  if (start !== undefined) {
    subUser.bandwidth_use_start_date = start;
    subUser.bandwidth_use_end_date = endOfUse(start);
  }
  subUser.updated_at = new Date(nowMs).toISOString();
  return subUserBody(subUser);
}

export const subUserRoutes: ApiRoute[] = [
  {
    path: '/api/subuser/',
    methods: {
      GET: ({ state, url }) => {
        const all = [...state.subUsers.values()].sort((a, b) => a.id - b.id);
        const slice = pageSlice(url, state.options.origin, all.length, state.options.subUserPageSize);
        const results = all.slice(slice.start, slice.end).map(subUserBody);
        return { count: slice.count, next: slice.next, previous: slice.previous, results };
      },
      POST: create,
    },
  },
  {
    path: '/api/subuser/:id/',
    methods: {
      GET: ({ state, params }) => subUserBody(find(state, params)),
      PATCH: update,
      DELETE: ({ state, params }) => {
        state.subUsers.delete(find(state, params).id);
        return new Response(null, { status: 204 });
      },
    },
  },
  {
    path: '/api/subuser/:id/refresh/',
    methods: {
      POST: ({ state, params, nowMs }) => {
        const subUser = find(state, params);
        if (subUser.proxy_countries === null) {
          throw detail(
            400,
            'This user does not have a custom proxy list. Set proxy_countries to refresh it.',
          );
        }
        subUser.listOffset++;
        subUser.updated_at = new Date(nowMs).toISOString();
        return subUserBody(subUser);
      },
    },
  },
];
