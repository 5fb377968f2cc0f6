/**
 * The zod schemas of the v2 answers a tick reads, as they were before
 * ../../../src/webshare/v2/readers.ts replaced them, unchanged: the reference each reader is held to
 * (../readers.test.ts).
 */
import * as z from 'zod';
import { pageSchema } from '../../../src/webshare/page-schema';

const countMap = z.record(z.string(), z.number());
const time = z.string();
const num = z.number().nullish();

/** GET /api/v2/subscription/: billing and term. The quotas live in the plan. */
export const V2SubscriptionSchema = z.object({
  id: z.number().nullish(),
  /** The active plan's id. */
  plan: z.number(),
  start_date: time,
  end_date: time,
  renewals_paid: num,
  free_credits: num,
  term: z.string().nullish(),
  paused: z.boolean().nullish(),
  throttled: z.boolean().nullish(),
});

/** GET /api/v2/subscription/plan/{id}/: `bandwidth_limit` is in GB (0 = unlimited). */
export const V2PlanSchema = z.object({
  id: z.number(),
  status: z.string().nullish(),
  bandwidth_limit: z.number(),
  monthly_price: num,
  yearly_price: num,
  proxy_type: z.string(),
  proxy_subtype: z.string().nullish(),
  proxy_count: z.number(),
  proxy_countries: countMap.nullish(),
  on_demand_refreshes_total: num,
  on_demand_refreshes_used: num,
  on_demand_refreshes_available: z.number(),
  automatic_refresh_frequency: num,
  automatic_refresh_last_at: time.nullish(),
  automatic_refresh_next_at: time.nullish(),
  proxy_replacements_total: z.number(),
  proxy_replacements_used: z.number(),
  proxy_replacements_available: z.number(),
  subusers_total: num,
  subusers_used: num,
  subusers_available: num,
  is_unlimited_ip_authorizations: z.boolean().nullish(),
  is_high_concurrency: z.boolean().nullish(),
});

const ErrorReasonSchema = z.object({
  reason: z.string(),
  type: z.string().nullish(),
  how_to_fix: z.string().nullish(),
  http_status: z.number().nullish(),
  count: z.number(),
});

/** GET /api/v2/stats/aggregate/ (and a sub-user's `aggregate_stats`). Bytes; no limit, no remaining. */
export const V2AggregateStatsSchema = z.object({
  bandwidth_projected: num,
  bandwidth_total: z.number(),
  bandwidth_average: num,
  requests_total: z.number(),
  requests_successful: num,
  requests_failed: z.number(),
  error_reasons: z.array(ErrorReasonSchema).nullish(),
  countries_used: countMap.nullish(),
  number_of_proxies_used: num,
  protocols_used: countMap.nullish(),
  average_concurrency: num,
  average_rps: num,
  last_request_sent_at: time.nullish(),
});

/** What the sweep reads of a proxy: validity, country, and something to name it by. */
export const V2ProxyValiditySchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  proxy_address: z.string().nullable(),
  valid: z.boolean(),
  country_code: z.string().nullish(),
});
export const V2ProxyValidityPageSchema = pageSchema(V2ProxyValiditySchema);

/** A sub-user: `proxy_limit` in GB (0 = unlimited), usage in `aggregate_stats`, and no credentials. */
export const V2SubUserSchema = z.object({
  id: z.number(),
  label: z.string(),
  proxy_countries: countMap.nullish(),
  proxy_limit: z.number(),
  max_thread_count: num,
  aggregate_stats: V2AggregateStatsSchema.partial().nullish(),
  created_at: time.nullish(),
  updated_at: time.nullish(),
  bandwidth_use_start_date: time.nullish(),
  bandwidth_use_end_date: time.nullish(),
});
export const V2SubUserPageSchema = pageSchema(V2SubUserSchema);
