/**
 * The v1 answers a cron tick reads (subscription, stats, replacement quotas, sub-users), read without
 * zod so that a tick never loads it (../../lib/json-reader.ts says why). Each reader accepts and
 * answers what its zod schema did (test/webshare/readers.test.ts holds them to those schemas); the
 * rest of v1's answers keep their zod schemas (./schemas.ts), loaded on first use.
 */
import {
  boolean,
  map,
  nullish,
  number,
  object,
  parser,
  record,
  string,
  type ReadContext,
  type Reader,
} from '../../lib/json-reader';
import { pageReader } from '../page-reader';
import type { ProxyStats, ReplacementInfo, Subscription, SubUser } from '../types';

const countMap = record(number);
const timestamp = string;
const optionalNumber = nullish(number);

/** First defined value among several spellings of one field. */
function firstDefined<T>(...values: (T | null | undefined)[]): T | undefined {
  for (const value of values) if (value !== undefined && value !== null) return value;
  return undefined;
}

/**
 * Subscription. The table says `automatic_refresh_frequency` / `on_demand_refreshes_total`; the field
 * example says `ondemand_refreshes_total`; the endpoint example says `rotate_frequency`,
 * `rotate_percentage`, `last_rotate_at`, `next_rotate_at` and `proxy_list_rotate_on_demand*`.
 */
const subscription: Reader<Subscription> = map(
  object({
    proxy_type: string,
    proxy_count: number,
    countries: nullish(countMap),
    bandwidth_limit: number,
    automatic_refresh_frequency: optionalNumber,
    rotate_frequency: optionalNumber,
    rotate_percentage: optionalNumber,
    automatic_refresh_percentage: optionalNumber,
    last_rotate_at: nullish(timestamp),
    next_rotate_at: nullish(timestamp),
    ondemand_refreshes_total: optionalNumber,
    on_demand_refreshes_total: optionalNumber,
    proxy_list_rotate_on_demand: optionalNumber,
    proxy_list_rotate_on_demand_used: optionalNumber,
    proxy_list_rotate_on_demand_available: optionalNumber,
    proxy_replacements_total: optionalNumber,
    unlimited_ip_authorizations: nullish(boolean),
    unlimited_burst_threads: nullish(boolean),
    start_date: timestamp,
    end_date: timestamp,
    renewals_paid: optionalNumber,
    monthly_price: optionalNumber,
    yearly_price: optionalNumber,
    free_credits: optionalNumber,
    subuser_count: optionalNumber,
  }),
  (s) => ({
    proxy_type: s.proxy_type,
    proxy_count: s.proxy_count,
    countries: s.countries ?? {},
    bandwidth_limit: s.bandwidth_limit,
    automatic_refresh_frequency: firstDefined(s.automatic_refresh_frequency, s.rotate_frequency) ?? 0,
    automatic_refresh_percentage: firstDefined(s.automatic_refresh_percentage, s.rotate_percentage) ?? null,
    automatic_refresh_last_at: s.last_rotate_at ?? null,
    automatic_refresh_next_at: s.next_rotate_at ?? null,
    ondemand_refreshes_total:
      firstDefined(s.ondemand_refreshes_total, s.on_demand_refreshes_total, s.proxy_list_rotate_on_demand) ??
      0,
    ondemand_refreshes_used: s.proxy_list_rotate_on_demand_used ?? null,
    ondemand_refreshes_available: s.proxy_list_rotate_on_demand_available ?? null,
    proxy_replacements_total: s.proxy_replacements_total ?? null,
    unlimited_ip_authorizations: s.unlimited_ip_authorizations ?? false,
    unlimited_burst_threads: s.unlimited_burst_threads ?? false,
    start_date: s.start_date,
    end_date: s.end_date,
    renewals_paid: s.renewals_paid ?? 0,
    monthly_price: s.monthly_price ?? null,
    yearly_price: s.yearly_price ?? null,
    free_credits: s.free_credits ?? null,
    subuser_count: s.subuser_count ?? null,
  }),
);
export const SubscriptionReader = parser(subscription);

const replacementInfoFields = object({
  automatic_refresh_frequency: optionalNumber,
  automatic_refresh_percentage: optionalNumber,
  automatic_refresh_last_at: nullish(timestamp),
  automatic_refresh_next_at: nullish(timestamp),
  ondemand_refreshes_total: optionalNumber,
  ondemand_refreshes_used: optionalNumber,
  ondemand_refreshes_available: optionalNumber,
  on_demand_refreshes_total: optionalNumber,
  on_demand_refreshes_used: optionalNumber,
  on_demand_refreshes_available: optionalNumber,
  proxy_replacements_total: number,
  proxy_replacements_used: number,
  proxy_replacements_available: number,
});

/** Replacement info. The table says `on_demand_refreshes_*`; both examples say `ondemand_refreshes_*`. */
const replacementInfo: Reader<ReplacementInfo> = map(
  (value: unknown, at: ReadContext) => {
    const before = at.issues.length;
    const r = replacementInfoFields(value, at);
    // zod's superRefine ran only on an object whose fields all passed; so does this check.
    if (
      at.issues.length === before &&
      firstDefined(r.ondemand_refreshes_available, r.on_demand_refreshes_available) === undefined
    ) {
      at.issues.push({ path: [...at.path, 'ondemand_refreshes_available'] });
    }
    return r;
  },
  (r) => ({
    automatic_refresh_frequency: r.automatic_refresh_frequency ?? 0,
    automatic_refresh_percentage: r.automatic_refresh_percentage ?? 0,
    automatic_refresh_last_at: r.automatic_refresh_last_at ?? null,
    automatic_refresh_next_at: r.automatic_refresh_next_at ?? null,
    ondemand_refreshes_total: firstDefined(r.ondemand_refreshes_total, r.on_demand_refreshes_total) ?? 0,
    ondemand_refreshes_used: firstDefined(r.ondemand_refreshes_used, r.on_demand_refreshes_used) ?? 0,
    ondemand_refreshes_available:
      firstDefined(r.ondemand_refreshes_available, r.on_demand_refreshes_available) ?? 0,
    proxy_replacements_total: r.proxy_replacements_total,
    proxy_replacements_used: r.proxy_replacements_used,
    proxy_replacements_available: r.proxy_replacements_available,
  }),
);
export const ReplacementInfoReader = parser(replacementInfo);

/**
 * Proxy stats. The table says `request_countries` and `requests_error_reasons`; the endpoint example
 * says `requests_countries` and `request_failure_status_code`. Failure status codes are folded into
 * the error reasons as `http_<code>` so every consumer reads one map.
 */
const proxyStats: Reader<ProxyStats> = map(
  object({
    bandwidth_used: number,
    bandwidth_remaining: nullish(number),
    bandwidth_limit: number,
    bandwidth_projected: nullish(number),
    last_request_at: nullish(timestamp),
    requests_total: number,
    requests_successful: nullish(number),
    requests_failed: number,
    request_countries: nullish(countMap),
    requests_countries: nullish(countMap),
    requests_error_reasons: nullish(countMap),
    request_failure_status_code: nullish(countMap),
  }),
  (s) => {
    const reasons: Record<string, number> = { ...(s.requests_error_reasons ?? {}) };
    for (const [code, count] of Object.entries(s.request_failure_status_code ?? {})) {
      reasons[`http_${code}`] = (reasons[`http_${code}`] ?? 0) + count;
    }
    return {
      bandwidth_used: s.bandwidth_used,
      bandwidth_remaining:
        s.bandwidth_remaining ??
        (s.bandwidth_limit > 0 ? Math.max(0, s.bandwidth_limit - s.bandwidth_used) : null),
      bandwidth_limit: s.bandwidth_limit,
      bandwidth_projected: s.bandwidth_projected ?? null,
      last_request_at: s.last_request_at ?? null,
      requests_total: s.requests_total,
      requests_successful: s.requests_successful ?? s.requests_total - s.requests_failed,
      requests_failed: s.requests_failed,
      requests_countries: firstDefined(s.requests_countries, s.request_countries) ?? {},
      requests_error_reasons: reasons,
    };
  },
);
export const ProxyStatsReader = parser(proxyStats);

const orNull = <T>(read: Reader<T>): Reader<T | null> => map(nullish(read), (v) => v ?? null);

const subUser: Reader<SubUser> = object({
  id: number,
  label: string,
  proxy_username: string,
  proxy_password: string,
  proxy_countries: orNull(countMap),
  proxy_limit: number,
  proxy_usage: map(nullish(number), (v) => v ?? 0),
  max_thread_count: orNull(number),
  last_use: orNull(timestamp),
  created_at: nullish(timestamp),
  updated_at: nullish(timestamp),
  bandwidth_use_start_date: nullish(timestamp),
  bandwidth_use_end_date: nullish(timestamp),
  verification_status: orNull(string),
});
export const SubUserReader = parser(subUser);
export const SubUserPageReader = parser(pageReader(subUser));
