/**
 * GET /api/proxy/stats/ for the account or, masquerading, for one sub-user (its proxy_usage and its
 * limit). The spelling follows the `statsSpelling` option: the endpoint example's or the table's.
 */
import type { RequestCounters, SimState, SimSubUser } from '../state';
import { projectBytes, subUserLimitBytes } from '../usage';
import type { ApiRoute } from './types';

export function statsBody(state: SimState, nowMs: number, subUser?: SimSubUser): Record<string, unknown> {
  const used = subUser ? subUser.proxy_usage : state.bandwidth.usedBytes;
  const limit = subUser ? subUserLimitBytes(subUser) : state.bandwidth.limitBytes;
  const projected = subUser
    ? projectBytes(used, subUser.bandwidth_use_start_date, subUser.bandwidth_use_end_date, nowMs)
    : (state.bandwidth.projectedBytes ??
      projectBytes(used, state.subscription.start_date, state.subscription.end_date, nowMs));
  const requests: RequestCounters = subUser ? subUser.requests : state.requests;
  const bandwidth = {
    bandwidth_used: used,
    bandwidth_remaining: limit > 0 ? Math.max(0, limit - used) : null,
    bandwidth_limit: limit,
    bandwidth_projected: projected,
  };
  const successful = Math.max(0, requests.total - requests.failed);
  if (state.options.statsSpelling === 'table') {
    return {
      ...bandwidth,
      last_request_at: requests.lastRequestAt,
      requests_total: requests.total,
      requests_successful: successful,
      requests_failed: requests.failed,
      request_countries: { ...requests.countries },
      requests_error_reasons: { ...requests.errorReasons },
    };
  }
  return {
    ...bandwidth,
    requests_total: requests.total,
    requests_countries: { ...requests.countries },
    requests_successful: successful,
    requests_failed: requests.failed,
    request_failure_status_code: { ...requests.failureStatusCodes },
    ...(Object.keys(requests.errorReasons).length > 0
      ? { requests_error_reasons: { ...requests.errorReasons } }
      : {}),
  };
}

export const statsRoutes: ApiRoute[] = [
  {
    path: '/api/proxy/stats/',
    masquerade: true,
    methods: { GET: ({ state, nowMs, subUser }) => statsBody(state, nowMs, subUser) },
  },
];
