/**
 * The zod schemas of the v1 answers a tick reads, as they were before ../../../src/webshare/v1/readers.ts
 * replaced them, unchanged: the reference each reader is held to (../readers.test.ts).
 */
import * as z from 'zod';
import { pageSchema } from '../../../src/webshare/page-schema';

const countMap = z.record(z.string(), z.number());
const timestamp = z.string();
const optionalNumber = z.number().nullish();

function firstDefined<T>(...values: (T | null | undefined)[]): T | undefined {
  for (const value of values) if (value !== undefined && value !== null) return value;
  return undefined;
}

/**
 * Subscription. The table says `automatic_refresh_frequency` / `on_demand_refreshes_total`; the field
 * example says `ondemand_refreshes_total`; the endpoint example says `rotate_frequency`,
 * `rotate_percentage`, `last_rotate_at`, `next_rotate_at` and `proxy_list_rotate_on_demand*`.
 */
export const SubscriptionSchema = z
  .object({
    proxy_type: z.string(),
    proxy_count: z.number(),
    countries: countMap.nullish(),
    bandwidth_limit: z.number(),
    automatic_refresh_frequency: optionalNumber,
    rotate_frequency: optionalNumber,
    rotate_percentage: optionalNumber,
    automatic_refresh_percentage: optionalNumber,
    last_rotate_at: timestamp.nullish(),
    next_rotate_at: timestamp.nullish(),
    ondemand_refreshes_total: optionalNumber,
    on_demand_refreshes_total: optionalNumber,
    proxy_list_rotate_on_demand: optionalNumber,
    proxy_list_rotate_on_demand_used: optionalNumber,
    proxy_list_rotate_on_demand_available: optionalNumber,
    proxy_replacements_total: optionalNumber,
    unlimited_ip_authorizations: z.boolean().nullish(),
    unlimited_burst_threads: z.boolean().nullish(),
    start_date: timestamp,
    end_date: timestamp,
    renewals_paid: optionalNumber,
    monthly_price: optionalNumber,
    yearly_price: optionalNumber,
    free_credits: optionalNumber,
    subuser_count: optionalNumber,
  })
  .transform((s) => ({
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
  }));

/** Replacement info. The table says `on_demand_refreshes_*`; both examples say `ondemand_refreshes_*`. */
export const ReplacementInfoSchema = z
  .object({
    automatic_refresh_frequency: optionalNumber,
    automatic_refresh_percentage: optionalNumber,
    automatic_refresh_last_at: timestamp.nullish(),
    automatic_refresh_next_at: timestamp.nullish(),
    ondemand_refreshes_total: optionalNumber,
    ondemand_refreshes_used: optionalNumber,
    ondemand_refreshes_available: optionalNumber,
    on_demand_refreshes_total: optionalNumber,
    on_demand_refreshes_used: optionalNumber,
    on_demand_refreshes_available: optionalNumber,
    proxy_replacements_total: z.number(),
    proxy_replacements_used: z.number(),
    proxy_replacements_available: z.number(),
  })
  .superRefine((r, ctx) => {
    if (firstDefined(r.ondemand_refreshes_available, r.on_demand_refreshes_available) === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'ondemand_refreshes_available is missing',
        path: ['ondemand_refreshes_available'],
      });
    }
  })
  .transform((r) => ({
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
  }));

/**
 * Proxy stats. The table says `request_countries` and `requests_error_reasons`; the endpoint example
 * says `requests_countries` and `request_failure_status_code`. Failure status codes are folded into
 * the error reasons as `http_<code>` so every consumer reads one map.
 */
export const ProxyStatsSchema = z
  .object({
    bandwidth_used: z.number(),
    bandwidth_remaining: z.number().nullish(),
    bandwidth_limit: z.number(),
    bandwidth_projected: z.number().nullish(),
    last_request_at: timestamp.nullish(),
    requests_total: z.number(),
    requests_successful: z.number().nullish(),
    requests_failed: z.number(),
    request_countries: countMap.nullish(),
    requests_countries: countMap.nullish(),
    requests_error_reasons: countMap.nullish(),
    request_failure_status_code: countMap.nullish(),
  })
  .transform((s) => {
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
  });

const VerificationStatusSchema = z.string();

export const SubUserSchema = z.object({
  id: z.number(),
  label: z.string(),
  proxy_username: z.string(),
  proxy_password: z.string(),
  proxy_countries: countMap.nullish().transform((v) => v ?? null),
  proxy_limit: z.number(),
  proxy_usage: z
    .number()
    .nullish()
    .transform((v) => v ?? 0),
  max_thread_count: z
    .number()
    .nullish()
    .transform((v) => v ?? null),
  last_use: timestamp.nullish().transform((v) => v ?? null),
  created_at: timestamp.nullish(),
  updated_at: timestamp.nullish(),
  bandwidth_use_start_date: timestamp.nullish(),
  bandwidth_use_end_date: timestamp.nullish(),
  verification_status: VerificationStatusSchema.nullish().transform((v) => v ?? null),
});
export const SubUserPageSchema = pageSchema(SubUserSchema);
