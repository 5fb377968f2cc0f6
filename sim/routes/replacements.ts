/**
 * Replacement info, on-demand refresh of the whole list, and individual replacements (an IP, meaning
 * /32, or a CIDR range; one replacement is used per proxy the range matches).
 */
import { parseRange } from '../addresses';
import { detail, fieldErrors, json } from '../responses';
import type { SimState } from '../state';
import type { ApiRoute } from './types';

/** The replacement info object, in the examples' `ondemand_*` spelling. */
export function replacementInfoBody(state: SimState): Record<string, unknown> {
  const s = state.subscription;
  const q = state.quotas;
  const lastAt = s.automatic_refresh_last_at;
  const frequencyMs = s.automatic_refresh_frequency * 1000;
  return {
    automatic_refresh_frequency: s.automatic_refresh_frequency,
    automatic_refresh_percentage: s.automatic_refresh_percentage,
    automatic_refresh_last_at: lastAt,
    automatic_refresh_next_at:
      frequencyMs > 0 && lastAt ? new Date(Date.parse(lastAt) + frequencyMs).toISOString() : null,
    ondemand_refreshes_total: q.ondemandTotal,
    ondemand_refreshes_used: q.ondemandUsed,
    ondemand_refreshes_available: Math.max(0, q.ondemandTotal - q.ondemandUsed),
    proxy_replacements_total: q.replacementsTotal,
    proxy_replacements_used: q.replacementsUsed,
    proxy_replacements_available: Math.max(0, q.replacementsTotal - q.replacementsUsed),
  };
}

export const replacementRoutes: ApiRoute[] = [
  { path: '/api/proxy/replacement/info/', methods: { GET: ({ state }) => replacementInfoBody(state) } },
  {
    path: '/api/proxy/replacement/info/refresh/',
    methods: {
      POST: ({ state, nowMs }) => {
        const q = state.quotas;
        if (q.ondemandTotal - q.ondemandUsed <= 0) {
          throw detail(400, 'You have no on-demand refreshes available.');
        }
        q.ondemandUsed++;
        state.proxies.refreshAll();
        state.subscription.automatic_refresh_last_at = new Date(nowMs).toISOString();
        return replacementInfoBody(state);
      },
    },
  },
  {
    path: '/api/proxy/replacement/',
    methods: {
      GET: ({ state }) => state.replacements.map((r) => ({ ...r })),
      POST: async ({ state, body, nowMs }) => {
        const input = await body();
        const shape = state.options.fieldErrorShape;
        const field = 'ip_address';
        if (input.ip_address === undefined || input.ip_address === null || input.ip_address === '') {
          throw fieldErrors([{ field, message: 'This field is required.', code: 'required' }], shape);
        }
        const range = typeof input.ip_address === 'string' ? parseRange(input.ip_address) : null;
        if (!range) {
          throw fieldErrors(
            [{ field, message: 'Enter a valid IP address or CIDR range.', code: 'invalid' }],
            shape,
          );
        }
        const available = state.quotas.replacementsTotal - state.quotas.replacementsUsed;
        if (available <= 0) throw detail(400, 'You have no proxy replacements available.');
        const matched = state.proxies.matching(range.matches);
        if (matched.length === 0) {
          const message = 'No proxy in your proxy list matches this IP address or range.';
          throw fieldErrors([{ field, message, code: 'no_match' }], shape);
        }
        if (matched.length > available) {
          throw detail(
            400,
            `This range matches ${matched.length} proxies but ${available} replacements are available.`,
          );
        }
        const created_at = new Date(nowMs).toISOString();
        const newAddresses = matched.map((index) => state.proxies.replace(index));
        state.quotas.replacementsUsed += matched.length;
        const record = { ip_address: range.cidr, new_ip_address: newAddresses[0] as string, created_at };
        state.replacements.push(record);
        return json({ ...record }, 201);
      },
    },
  },
];
