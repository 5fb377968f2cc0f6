/**
 * v2/v3 objects → the normalised shapes the rest of the worker reads (../schemas.ts). Pure.
 *
 * Units: the plan's and a sub-user's `bandwidth_limit`/`proxy_limit` are in GB. No source says
 * whether a GB is 10^9 or 2^30 bytes. We read the plan's limit as 10^9 bytes: the smaller of the two,
 * so the usage percent we alert on is never lower than Webshare's own (reading 2^30 would make it
 * up to 7 % lower, and an 80 % alert would fire at 86 %). Sub-user `proxy_limit` stays in GB, as
 * on v1 (it is written back unchanged by provisioning).
 */
import type {
  ListedSubUser,
  ProxyConfig,
  ProxyStats,
  Replacement,
  ReplacementInfo,
  ReplacementResult,
  SubUser,
  Subscription,
} from '../types';
import type { V2AggregateStats, V2Plan, V2SubUser, V2Subscription } from './readers';
import type { V2Replacement } from './schemas';

/** Bytes in one of Webshare v2's GB (see the module comment for why 10^9). */
export const V2_BYTES_PER_GB = 1_000_000_000;
/** `timestamp__gte` "cannot be older than 90 days from today". */
export const V2_STATS_MAX_LOOKBACK_MS = 90 * 86_400_000;

export function planLimitBytes(plan: V2Plan): number {
  return Math.round(plan.bandwidth_limit * V2_BYTES_PER_GB);
}

export function toSubscription(subscription: V2Subscription, plan: V2Plan): Subscription {
  return {
    proxy_type: plan.proxy_subtype ? `${plan.proxy_type}/${plan.proxy_subtype}` : plan.proxy_type,
    proxy_count: plan.proxy_count,
    countries: plan.proxy_countries ?? {},
    bandwidth_limit: planLimitBytes(plan),
    automatic_refresh_frequency: plan.automatic_refresh_frequency ?? 0,
    automatic_refresh_percentage: null,
    automatic_refresh_last_at: plan.automatic_refresh_last_at ?? null,
    automatic_refresh_next_at: plan.automatic_refresh_next_at ?? null,
    ondemand_refreshes_total: plan.on_demand_refreshes_total ?? 0,
    ondemand_refreshes_used: plan.on_demand_refreshes_used ?? null,
    ondemand_refreshes_available: plan.on_demand_refreshes_available,
    proxy_replacements_total: plan.proxy_replacements_total,
    unlimited_ip_authorizations: plan.is_unlimited_ip_authorizations ?? false,
    unlimited_burst_threads: plan.is_high_concurrency ?? false,
    start_date: subscription.start_date,
    end_date: subscription.end_date,
    renewals_paid: subscription.renewals_paid ?? 0,
    monthly_price: plan.monthly_price ?? null,
    yearly_price: plan.yearly_price ?? null,
    free_credits: subscription.free_credits ?? null,
    subuser_count: plan.subusers_total ?? null,
  };
}

/** The plan's quotas in the v1 replacement-info shape (v2 has no automatic refresh percentage: 0). */
export function toReplacementInfo(plan: V2Plan): ReplacementInfo {
  const total = plan.on_demand_refreshes_total ?? 0;
  return {
    automatic_refresh_frequency: plan.automatic_refresh_frequency ?? 0,
    automatic_refresh_percentage: 0,
    automatic_refresh_last_at: plan.automatic_refresh_last_at ?? null,
    automatic_refresh_next_at: plan.automatic_refresh_next_at ?? null,
    ondemand_refreshes_total: total,
    ondemand_refreshes_used:
      plan.on_demand_refreshes_used ?? Math.max(0, total - plan.on_demand_refreshes_available),
    ondemand_refreshes_available: plan.on_demand_refreshes_available,
    proxy_replacements_total: plan.proxy_replacements_total,
    proxy_replacements_used: plan.proxy_replacements_used,
    proxy_replacements_available: plan.proxy_replacements_available,
  };
}

/** Error reasons as v1's `reason → count` map (v2 lists objects). */
function reasonCounts(stats: Partial<V2AggregateStats>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of stats.error_reasons ?? []) out[item.reason] = (out[item.reason] ?? 0) + item.count;
  return out;
}

/** Aggregate stats plus a limit in bytes (0 = unlimited) → v1's stats shape, remaining computed. */
export function toProxyStats(stats: V2AggregateStats, limitBytes: number): ProxyStats {
  const used = stats.bandwidth_total;
  return {
    bandwidth_used: used,
    bandwidth_remaining: limitBytes > 0 ? Math.max(0, limitBytes - used) : null,
    bandwidth_limit: limitBytes,
    bandwidth_projected: stats.bandwidth_projected ?? null,
    last_request_at: stats.last_request_sent_at ?? null,
    requests_total: stats.requests_total,
    requests_successful: stats.requests_successful ?? stats.requests_total - stats.requests_failed,
    requests_failed: stats.requests_failed,
    requests_countries: stats.countries_used ?? {},
    requests_error_reasons: reasonCounts(stats),
  };
}

/** The stats window: the billing period so far, clamped to the 90 days the API accepts. */
export function statsWindow(subscription: V2Subscription, nowMs: number): { gte: string; lte: string } {
  const start = Math.max(Date.parse(subscription.start_date), nowMs - V2_STATS_MAX_LOOKBACK_MS + 60_000);
  const end = Math.min(nowMs, Date.parse(subscription.end_date));
  return { gte: new Date(Math.min(start, end)).toISOString(), lte: new Date(end).toISOString() };
}

export function toListedSubUser(user: V2SubUser): ListedSubUser {
  return {
    id: user.id,
    label: user.label,
    proxy_username: null,
    proxy_password: null,
    proxy_countries: user.proxy_countries ?? null,
    proxy_limit: user.proxy_limit,
    proxy_usage: user.aggregate_stats?.bandwidth_total ?? 0,
    max_thread_count: user.max_thread_count ?? null,
    last_use: user.aggregate_stats?.last_request_sent_at ?? null,
    created_at: user.created_at,
    updated_at: user.updated_at,
    bandwidth_use_start_date: user.bandwidth_use_start_date,
    bandwidth_use_end_date: user.bandwidth_use_end_date,
    verification_status: null,
  };
}

export function withCredentials(
  user: V2SubUser,
  credentials: { username: string; password: string },
): SubUser {
  return {
    ...toListedSubUser(user),
    proxy_username: credentials.username,
    proxy_password: credentials.password,
  };
}

/** Download links in v1's names; v2 has one protocol-neutral link per authentication and mode. */
export function downloadLinks(origin: string, token: string | null | undefined): Record<string, string> {
  if (!token) return {};
  const link = (auth: string, mode: string) =>
    `${origin}/api/v2/proxy/list/download/${token}/-/any/${auth}/${mode}/-/`;
  return {
    http_password_direct: link('username', 'direct'),
    http_password_backbone: link('username', 'backbone'),
    http_ip_direct: link('sourceip', 'direct'),
    http_ip_backbone: link('sourceip', 'backbone'),
    socks5_password_direct: link('username', 'direct'),
    socks5_password_backbone: link('username', 'backbone'),
    socks5_ip_direct: link('sourceip', 'direct'),
    socks5_ip_backbone: link('sourceip', 'backbone'),
  };
}

export function toProxyConfig(
  credentials: { username: string; password: string; countries?: Record<string, number> | null },
  authorizedIps: string[],
  links: Record<string, string>,
): ProxyConfig {
  return {
    countries: credentials.countries ?? {},
    username: credentials.username,
    password: credentials.password,
    authorized_ips: authorizedIps,
    download_links: links,
  };
}

/** A replacement request as v1's replacement plus its id and state. */
export function toReplacementResult(
  request: V2Replacement,
  target: string,
  replaced: Replacement | null,
): ReplacementResult {
  return {
    ip_address: target,
    new_ip_address: replaced?.new_ip_address ?? null,
    created_at: request.created_at ?? null,
    id: request.id,
    state: request.state,
    error_code: request.error_code ?? null,
    error: request.error ?? null,
  };
}

/** The IP a v3 replacement targeted (the first of `to_replace.ip_addresses`), as a /32 or /128. */
export function targetOf(request: V2Replacement): string {
  const toReplace = request.to_replace as { ip_addresses?: unknown } | undefined;
  const first = Array.isArray(toReplace?.ip_addresses) ? toReplace.ip_addresses[0] : undefined;
  if (typeof first !== 'string') return '';
  return first.includes('/') ? first : `${first}${first.includes(':') ? '/128' : '/32'}`;
}
