/** v2 subscription, plan and aggregate stats (over `timestamp__gte..lte`, at most 90 days back). */
import { ApiError } from '../../responses';
import type { SimState } from '../../state';
import { projectBytes } from '../../usage';
import type { ApiRoute } from '../types';
import { aggregateBody, SIM_PLAN_ID, planLimitGb } from './shared';

const DAY_MS = 86_400_000;
const MAX_LOOKBACK_DAYS = 90;

export function v2SubscriptionBody(state: SimState): Record<string, unknown> {
  const s = state.subscription;
  return {
    id: 1,
    plan: SIM_PLAN_ID,
    payment_method: null,
    free_credits: s.free_credits,
    term: 'monthly',
    start_date: s.start_date,
    end_date: s.end_date,
    renewals_paid: s.renewals_paid,
    failed_payment_times: 0,
    account_discount_percentage: 0,
    customizable: true,
    paused: false,
    throttled: false,
    created_at: s.start_date,
    updated_at: s.start_date,
  };
}

export function planBody(state: SimState, nowMs: number): Record<string, unknown> {
  const s = state.subscription;
  const q = state.quotas;
  const lastAt = s.automatic_refresh_last_at;
  const frequencyMs = s.automatic_refresh_frequency * 1000;
  return {
    id: SIM_PLAN_ID,
    status: 'active',
    bandwidth_limit: planLimitGb(state),
    monthly_price: s.monthly_price,
    yearly_price: s.yearly_price,
    proxy_type: 'shared',
    proxy_subtype: 'default',
    proxy_count: state.proxies.count,
    proxy_countries: state.proxies.countsByCountry(),
    required_site_checks: [],
    on_demand_refreshes_total: q.ondemandTotal,
    on_demand_refreshes_used: q.ondemandUsed,
    on_demand_refreshes_available: Math.max(0, q.ondemandTotal - q.ondemandUsed),
    automatic_refresh_frequency: s.automatic_refresh_frequency,
    automatic_refresh_last_at: lastAt,
    automatic_refresh_next_at:
      frequencyMs > 0 ? new Date((lastAt ? Date.parse(lastAt) : nowMs) + frequencyMs).toISOString() : null,
    proxy_replacements_total: q.replacementsTotal,
    proxy_replacements_used: q.replacementsUsed,
    proxy_replacements_available: Math.max(0, q.replacementsTotal - q.replacementsUsed),
    subusers_total: state.options.subUserLimit,
    subusers_used: state.subUsers.size,
    subusers_available: Math.max(0, state.options.subUserLimit - state.subUsers.size),
    is_unlimited_ip_authorizations: true,
    is_high_concurrency: true,
    is_high_priority_network: false,
    created_at: s.start_date,
    updated_at: s.start_date,
  };
}

/** Both timestamps are required here (the docs state no defaults for the aggregate). */
function checkWindow(url: URL, nowMs: number): void {
  const errors: Record<string, unknown[]> = {};
  const gte = url.searchParams.get('timestamp__gte');
  const lte = url.searchParams.get('timestamp__lte');
  const required = { message: 'This field is required.', code: 'required' };
  if (!gte || !Number.isFinite(Date.parse(gte))) errors.timestamp__gte = [required];
  if (!lte || !Number.isFinite(Date.parse(lte))) errors.timestamp__lte = [required];
  if (gte && Date.parse(gte) < nowMs - MAX_LOOKBACK_DAYS * DAY_MS) {
    errors.timestamp__gte = [{ message: 'Cannot be older than 90 days from today.', code: 'invalid' }];
  }
  if (Object.keys(errors).length > 0) throw new ApiError(400, errors);
}

export const v2AccountRoutes: ApiRoute[] = [
  {
    path: '/api/v2/subscription/',
    dialect: 'v2',
    methods: { GET: ({ state }) => v2SubscriptionBody(state) },
  },
  {
    path: '/api/v2/subscription/plan/:id/',
    dialect: 'v2',
    methods: {
      GET: ({ state, params, nowMs }) => {
        if (params.id !== String(SIM_PLAN_ID)) throw new ApiError(404, { detail: 'Not found.' });
        return planBody(state, nowMs);
      },
    },
  },
  {
    path: '/api/v2/stats/aggregate/',
    dialect: 'v2',
    masquerade: true,
    methods: {
      GET: ({ state, url, nowMs, subUser }) => {
        checkWindow(url, nowMs);
        if (subUser) {
          const projected = projectBytes(
            subUser.proxy_usage,
            subUser.bandwidth_use_start_date,
            subUser.bandwidth_use_end_date,
            nowMs,
          );
          return aggregateBody(subUser.requests, subUser.proxy_usage, projected);
        }
        const used = state.bandwidth.usedBytes;
        const projected =
          state.bandwidth.projectedBytes ??
          projectBytes(used, state.subscription.start_date, state.subscription.end_date, nowMs);
        return aggregateBody(state.requests, used, projected);
      },
    },
  },
];
