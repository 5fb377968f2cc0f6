/** GET /api/profile/ and GET /api/subscription/ (in the endpoint example's spelling). */
import { clockMs, type SimState } from '../state';
import type { ApiRoute } from './types';

export function subscriptionBody(state: SimState): Record<string, unknown> {
  const s = state.subscription;
  const q = state.quotas;
  const frequencyMs = s.automatic_refresh_frequency * 1000;
  const lastAt = s.automatic_refresh_last_at;
  return {
    proxy_type: s.proxy_type,
    proxy_count: state.proxies.count,
    countries: state.proxies.countsByCountry(),
    bandwidth_limit: state.bandwidth.limitBytes,
    // The endpoint example's spelling, not the object table's: the client must normalise it.
    rotate_frequency: s.automatic_refresh_frequency,
    rotate_percentage: s.automatic_refresh_percentage,
    last_rotate_at: lastAt,
    next_rotate_at:
      frequencyMs > 0
        ? new Date((lastAt ? Date.parse(lastAt) : clockMs(state)) + frequencyMs).toISOString()
        : null,
    proxy_list_rotate_on_demand: q.ondemandTotal,
    proxy_list_rotate_on_demand_used: q.ondemandUsed,
    proxy_list_rotate_on_demand_available: Math.max(0, q.ondemandTotal - q.ondemandUsed),
    unlimited_ip_authorizations: true,
    unlimited_burst_threads: true,
    start_date: s.start_date,
    end_date: s.end_date,
    renewals_paid: s.renewals_paid,
    monthly_price: s.monthly_price,
    yearly_price: s.yearly_price,
    free_credits: s.free_credits,
    subuser_count: state.options.subUserLimit,
  };
}

export const accountRoutes: ApiRoute[] = [
  { path: '/api/profile/', methods: { GET: ({ state }) => state.profile } },
  { path: '/api/subscription/', methods: { GET: ({ state }) => subscriptionBody(state) } },
];
