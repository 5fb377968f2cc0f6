/**
 * v2 proxy list (`mode` required; `page_size`, `valid`, `country_code__in` filters), the v3 list
 * status and config, v2 proxy config and authorised IPs, and the on-demand refresh (204).
 */
import { applyV2Password } from '../v2-access';
import { pageSlice } from '../../pagination';
import { arraySelection, type Selection } from '../../proxies';
import { ApiError, fieldErrors } from '../../responses';
import type { SimState, SimSubUser } from '../../state';
import { subUserSelection } from '../../subuser-list';
import type { ApiContext, ApiRoute } from '../types';
import { credentialsOf, SIM_PLAN_ID, v2ProxyBody } from './shared';

/** The simulator serves at most this many per page: the real maximum is undocumented. */
export const SIM_V2_MAX_PAGE_SIZE = 100;
/** The maximum under the `page-size-capped` quirk: less than the 100 the worker asks for. */
export const SIM_CAPPED_PAGE_SIZE = 25;

function pageSize(state: SimState, url: URL): number {
  const raw = url.searchParams.get('page_size');
  if (raw === null || raw === '') return state.options.pageSize;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ApiError(400, { page_size: [{ message: 'A valid integer is required.', code: 'invalid' }] });
  }
  const capped = state.options.quirks.includes('page-size-capped');
  return Math.min(capped ? SIM_CAPPED_PAGE_SIZE : SIM_V2_MAX_PAGE_SIZE, Number(raw));
}

function selection(state: SimState, url: URL, subUser: SimSubUser | undefined): Selection {
  const countries = (url.searchParams.get('country_code__in') ?? '')
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
  const valid = state.options.quirks.includes('no-valid-filter') ? null : url.searchParams.get('valid');
  const proxies = state.proxies;
  if (!subUser && valid === 'false') {
    // The invalid set is small: no pass over the whole list.
    const wanted = new Set(countries);
    const invalid = proxies
      .invalidIndices()
      .filter((i) => !wanted.size || wanted.has(proxies.countryCode(i)));
    return arraySelection(invalid);
  }
  const base = subUser ? subUserSelection(state, subUser, countries) : proxies.select(countries);
  if (valid !== 'true' && valid !== 'false') return base;
  const indices: number[] = [];
  for (let k = 0; k < base.length; k++) {
    const index = base.at(k);
    if (proxies.isValid(index) === (valid === 'true')) indices.push(index);
  }
  return arraySelection(indices);
}

function listProxies({ state, url, subUser, nowMs }: ApiContext) {
  const mode = url.searchParams.get('mode');
  if (mode !== 'direct' && mode !== 'backbone') {
    const message = mode ? `"${mode}" is not a valid choice.` : 'This field is required.';
    throw fieldErrors([{ field: 'mode', message, code: mode ? 'invalid_choice' : 'required' }], 'objects');
  }
  const chosen = selection(state, url, subUser);
  const size = pageSize(state, url);
  const slice = pageSlice(url, state.options.origin, chosen.length, size);
  const credentials = credentialsOf(state, subUser);
  const results = [];
  for (let position = slice.start; position < slice.end; position++) {
    const index = chosen.at(position);
    results.push(v2ProxyBody(index, state.proxies.view(index, credentials, nowMs)));
  }
  return { count: slice.count, next: slice.next, previous: slice.previous, results };
}

function requirePlan(url: URL): void {
  if (url.searchParams.get('plan_id') !== String(SIM_PLAN_ID)) {
    throw new ApiError(400, { plan_id: [{ message: 'This field is required.', code: 'required' }] });
  }
}

function downloadToken(state: SimState, subUser?: SimSubUser): string {
  return subUser ? `${state.config.downloadToken}${subUser.id}` : state.config.downloadToken;
}

export const v2ProxyRoutes: ApiRoute[] = [
  {
    path: '/api/v2/proxy/list/',
    dialect: 'v2',
    bucket: 'proxyList',
    masquerade: true,
    methods: { GET: listProxies },
  },
  {
    path: '/api/v3/proxy/list/status',
    dialect: 'v2',
    masquerade: true,
    methods: {
      GET: ({ state, url, subUser }) => {
        requirePlan(url);
        return {
          state: 'completed',
          countries: subUser?.proxy_countries ?? state.proxies.countsByCountry(),
          unallocated_countries: {},
          ...credentialsOf(state, subUser),
          is_proxy_used: true,
        };
      },
    },
  },
  {
    path: '/api/v3/proxy/config',
    dialect: 'v2',
    masquerade: true,
    methods: {
      GET: ({ state, url, subUser }) => {
        requirePlan(url);
        return {
          request_timeout: 86_400,
          request_idle_timeout: 900,
          ip_authorization_country_codes: null,
          auto_replace_invalid_proxies: false,
          auto_replace_low_country_confidence_proxies: false,
          auto_replace_out_of_rotation_proxies: false,
          auto_replace_failed_site_check_proxies: false,
          proxy_list_download_token: downloadToken(state, subUser),
        };
      },
    },
  },
  {
    // The docs' masquerade example reads the whole v2 config object here (credentials included).
    path: '/api/v2/proxy/config/',
    dialect: 'v2',
    masquerade: true,
    methods: {
      GET: ({ state, subUser }) => v2Config(state, subUser),
      PATCH: async (context) => {
        await applyV2Password(context);
        return v2Config(context.state, undefined);
      },
    },
  },
  {
    path: '/api/v2/proxy/list/refresh/',
    dialect: 'v2',
    methods: {
      POST: ({ state, nowMs }) => {
        const q = state.quotas;
        if (q.ondemandTotal - q.ondemandUsed <= 0) {
          // Undocumented on v2; a coded 400 in the shape of the other coded errors.
          throw new ApiError(400, {
            detail: 'You have no on-demand refreshes available.',
            code: 'no_on_demand_refreshes_available',
          });
        }
        q.ondemandUsed++;
        state.proxies.refreshAll();
        state.subscription.automatic_refresh_last_at = new Date(nowMs).toISOString();
        return new Response(null, { status: 204 });
      },
    },
  },
];

/** The whole v2 config object (credentials included), as the docs' masquerade example reads it. */
function v2Config(state: SimState, subUser: SimSubUser | undefined): Record<string, unknown> {
  return {
    id: subUser?.id ?? 1,
    state: 'completed',
    countries: subUser?.proxy_countries ?? state.proxies.countsByCountry(),
    available_countries: state.proxies.countsByCountry(),
    unallocated_countries: {},
    ...credentialsOf(state, subUser),
    request_timeout: 86_400,
    request_idle_timeout: 900,
    ip_authorization_country_codes: null,
    auto_replace_invalid_proxies: false,
    auto_replace_low_country_confidence_proxies: false,
    proxy_list_download_token: downloadToken(state, subUser),
    created_at: state.subscription.start_date,
    updated_at: state.subscription.start_date,
  };
}
