/**
 * v3 replacement, asynchronous as on the live API: POST answers `validating`; the replacement is
 * carried out the next time the request is read (GET /api/v3/proxy/replace/{id}/), which answers
 * `completed` (or `failed` with an `error_code`). GET /api/v2/proxy/list/replaced/ says what replaced
 * what. Refusals at create are coded 400s (`not_enough_replacements_in_subscription`).
 */
import { isIpAddress } from '../../addresses';
import { pageSlice } from '../../pagination';
import { ApiError, fieldErrors, json, notFound } from '../../responses';
import type { SimState, V2Replacement } from '../../state';
import type { ApiContext, ApiRoute } from '../types';

function body(r: V2Replacement): Record<string, unknown> {
  const done = r.state === 'completed';
  return {
    id: r.id,
    reason: done ? 'proxy_replaced' : '',
    to_replace: { type: 'ip_address', ip_addresses: [...r.addresses] },
    replace_with: [{ type: 'any', count: r.addresses.length }],
    dry_run: r.dry_run,
    state: r.state,
    proxies_removed: r.proxies_removed,
    proxies_added: r.proxies_removed,
    error: r.error,
    error_code: r.error_code,
    created_at: r.created_at,
    dry_run_completed_at: null,
    completed_at: r.completed_at,
  };
}

function available(state: SimState): number {
  return state.quotas.replacementsTotal - state.quotas.replacementsUsed;
}

async function create({ state, body: read, nowMs }: ApiContext): Promise<Response> {
  const input = await read();
  const toReplace = input.to_replace as { type?: unknown; ip_addresses?: unknown } | undefined;
  const ips = toReplace?.ip_addresses;
  if (toReplace?.type !== 'ip_address' || !Array.isArray(ips) || ips.length === 0) {
    throw fieldErrors(
      [{ field: 'to_replace', message: 'Only ip_address selectors are simulated.', code: 'invalid' }],
      'objects',
    );
  }
  if (!ips.every((ip) => typeof ip === 'string' && isIpAddress(ip))) {
    throw fieldErrors(
      [{ field: 'to_replace', message: 'Enter a valid IP address.', code: 'invalid' }],
      'objects',
    );
  }
  const count = available(state);
  if (count < ips.length) {
    throw new ApiError(400, {
      detail: `You have ${count} proxy replacements remaining. Upgrade subscription to receive more replacements.`,
      code: 'not_enough_replacements_in_subscription',
    });
  }
  const id = state.v2Replacements.size + 1;
  const request: V2Replacement = {
    id,
    addresses: ips as string[],
    state: 'validating',
    dry_run: input.dry_run === true,
    error_code: null,
    error: null,
    created_at: new Date(nowMs).toISOString(),
    completed_at: null,
    proxies_removed: null,
  };
  state.v2Replacements.set(id, request);
  return json(body(request), 201);
}

/** Carries out a request still in flight: each address still listed gets a new one. */
function settle(state: SimState, r: V2Replacement, nowMs: number): void {
  if (r.state === 'completed' || r.state === 'failed' || r.dry_run) return;
  const at = new Date(nowMs).toISOString();
  const indices = r.addresses.map((a) => state.proxies.indexOfAddress(a));
  if (indices.some((i) => i === undefined)) {
    Object.assign(r, {
      state: 'failed',
      error_code: 'no_proxies_to_be_replaced',
      error: 'No proxies to be replaced. Please pick the proxies you want to replace.',
      completed_at: at,
    });
    return;
  }
  if (available(state) < indices.length) {
    Object.assign(r, {
      state: 'failed',
      error_code: 'not_enough_replacements_in_subscription',
      error: 'Not enough replacements left in the subscription.',
      completed_at: at,
    });
    return;
  }
  indices.forEach((index, k) => {
    const fresh = state.proxies.replace(index as number);
    state.replacements.push({
      ip_address: `${r.addresses[k]}/32`,
      new_ip_address: fresh,
      created_at: at,
      replacement_id: r.id,
    });
  });
  state.quotas.replacementsUsed += indices.length;
  Object.assign(r, { state: 'completed', proxies_removed: indices.length, completed_at: at });
}

const ORDERINGS = ['id', 'created_at', 'completed_at'] as const;

/**
 * GET /api/v3/proxy/replace/: the replacement requests, as the SDKs list them (`ordering` by id,
 * created_at or completed_at, `-` for descending; `dry_run`, `state`, `page`, `page_size`).
 */
function list({ state, url }: ApiContext): Record<string, unknown> {
  const ordering = url.searchParams.get('ordering') ?? 'id';
  const field = ordering.replace(/^-/, '');
  if (!(ORDERINGS as readonly string[]).includes(field)) {
    throw fieldErrors(
      [{ field: 'ordering', message: `Invalid ordering "${ordering}".`, code: 'invalid' }],
      'objects',
    );
  }
  const dryRun = url.searchParams.get('dry_run');
  const wantedState = url.searchParams.get('state');
  const key = (r: V2Replacement): string | number =>
    field === 'id' ? r.id : ((field === 'created_at' ? r.created_at : r.completed_at) ?? '');
  const rows = [...state.v2Replacements.values()]
    .filter((r) => dryRun === null || String(r.dry_run) === dryRun)
    .filter((r) => wantedState === null || r.state === wantedState)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id));
  if (ordering.startsWith('-')) rows.reverse();
  const pageSize = Math.min(100, Math.max(1, Number(url.searchParams.get('page_size') ?? 10) || 10));
  const slice = pageSlice(url, state.options.origin, rows.length, pageSize);
  return {
    count: slice.count,
    next: slice.next,
    previous: slice.previous,
    results: rows.slice(slice.start, slice.end).map(body),
  };
}

export const v2ReplacementRoutes: ApiRoute[] = [
  { path: '/api/v3/proxy/replace/', dialect: 'v2', methods: { POST: create, GET: list } },
  {
    path: '/api/v3/proxy/replace/:id/',
    dialect: 'v2',
    methods: {
      GET: ({ state, params, nowMs }) => {
        const request = state.v2Replacements.get(Number(params.id));
        if (!request) throw notFound();
        settle(state, request, nowMs);
        return body(request);
      },
    },
  },
  {
    path: '/api/v2/proxy/list/replaced/',
    dialect: 'v2',
    methods: {
      GET: ({ state, url }) => {
        const wanted = url.searchParams.get('proxy_list_replacement');
        const rows = state.replacements
          .map((r, k) => ({ r, id: k + 1 }))
          .filter(({ r }) => wanted === null || String(r.replacement_id) === wanted)
          .reverse();
        const slice = pageSlice(url, state.options.origin, rows.length, 25);
        const results = rows.slice(slice.start, slice.end).map(({ r, id }) => ({
          id,
          reason: 'proxy_replaced',
          proxy: r.ip_address.replace(/\/\d+$/, ''),
          proxy_port: 10_000,
          proxy_country_code: null,
          replaced_with: r.new_ip_address,
          replaced_with_port: 10_000,
          replaced_with_country_code: null,
          created_at: r.created_at,
        }));
        return { count: slice.count, next: slice.next, previous: slice.previous, results };
      },
    },
  },
];
