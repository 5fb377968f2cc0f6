/** What the v2/v3 routes share: the plan id, GB units, the sub-user object and the proxy item. */
import type { SimProxy } from '../../proxies';
import type { RequestCounters, SimState, SimSubUser } from '../../state';

/** The simulated account has one plan. */
export const SIM_PLAN_ID = 1;
/** v2 states limits in GB; the simulator reads a GB as 10^9 bytes, as the worker does (docs/webshare-api.md). */
export const V2_GB_BYTES = 1_000_000_000;

/** The v2 aggregate stats object for counters and bytes. */
export function aggregateBody(
  requests: RequestCounters,
  usedBytes: number,
  projectedBytes: number | null,
): Record<string, unknown> {
  const reasons = [
    ...Object.entries(requests.errorReasons).map(([reason, count]) => ({
      reason,
      type: 'configuration',
      how_to_fix: 'See the Webshare documentation for this reason.',
      http_status: null,
      count,
    })),
    ...Object.entries(requests.failureStatusCodes).map(([code, count]) => ({
      reason: `http_${code}`,
      type: 'connection',
      how_to_fix: 'The target site failed; retry later.',
      http_status: Number(code),
      count,
    })),
  ];
  return {
    bandwidth_projected: projectedBytes ?? usedBytes,
    bandwidth_total: usedBytes,
    bandwidth_average: requests.total > 0 ? Math.round(usedBytes / requests.total) : 0,
    requests_total: requests.total,
    requests_successful: Math.max(0, requests.total - requests.failed),
    requests_failed: requests.failed,
    error_reasons: reasons,
    countries_used: { ...requests.countries },
    number_of_proxies_used: 0,
    protocols_used: { http: requests.total },
    average_concurrency: null,
    average_rps: null,
    last_request_sent_at: requests.lastRequestAt,
  };
}

/** The v2 sub-user object: no credentials, usage in aggregate_stats. */
export function v2SubUserBody(subUser: SimSubUser): Record<string, unknown> {
  return {
    id: subUser.id,
    label: subUser.label,
    proxy_countries: subUser.proxy_countries ? { ...subUser.proxy_countries } : null,
    proxy_limit: subUser.proxy_limit,
    max_thread_count: subUser.max_thread_count,
    aggregate_stats: aggregateBody(subUser.requests, subUser.proxy_usage, null),
    created_at: subUser.created_at,
    updated_at: subUser.updated_at,
    bandwidth_use_start_date: subUser.bandwidth_use_start_date,
    bandwidth_use_end_date: subUser.bandwidth_use_end_date,
  };
}

/** A v1 proxy view in the v2 item shape (string id, one port, high_country_confidence). */
export function v2ProxyBody(index: number, proxy: SimProxy): Record<string, unknown> {
  return {
    id: `d-${index + 1}`,
    username: proxy.username,
    password: proxy.password,
    proxy_address: proxy.proxy_address,
    port: proxy.ports.http,
    valid: proxy.valid,
    last_verification: proxy.last_verification,
    country_code: proxy.country_code,
    city_name: proxy.city_name,
    created_at: proxy.last_verification,
    asn_name: 'SIMULATED-AS',
    asn_number: 64_512,
    high_country_confidence: proxy.country_code_confidence >= 0.9,
  };
}

export function credentialsOf(state: SimState, subUser?: SimSubUser) {
  return subUser
    ? { username: subUser.proxy_username, password: subUser.proxy_password }
    : { username: state.config.username, password: state.config.password };
}

/** The plan's bandwidth limit in GB (0 = unlimited). */
export function planLimitGb(state: SimState): number {
  return state.bandwidth.limitBytes / V2_GB_BYTES;
}
