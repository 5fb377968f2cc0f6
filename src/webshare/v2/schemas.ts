/**
 * zod schemas for the Webshare v2/v3 objects this worker reads, lenient on purpose: unknown fields are
 * dropped, everything not needed for normalising is optional, and every variant the sources show is
 * accepted (apidocs.webshare.io via the 1cedsoda/webshare-proxy-api mirror, and the official SDKs'
 * tests marked as the live shape). Normalising into the v1 shapes happens in normalise.ts.
 */
import * as z from 'zod';
// v2 pages are the same DRF page-number envelope as v1's.
import { pageSchema } from '../page-schema';

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
export type V2Subscription = z.output<typeof V2SubscriptionSchema>;

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
export type V2Plan = z.output<typeof V2PlanSchema>;

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
export type V2AggregateStats = z.output<typeof V2AggregateStatsSchema>;

/** A proxy: `id` is a string; `proxy_address` is null on residential plans; one `port`. */
export const V2ProxySchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  username: z.string().nullish(),
  password: z.string().nullish(),
  proxy_address: z.string().nullable(),
  port: z.number().nullish(),
  valid: z.boolean(),
  last_verification: time.nullish(),
  country_code: z.string().nullish(),
  city_name: z.string().nullish(),
  created_at: time.nullish(),
  asn_name: z.string().nullish(),
  asn_number: z.number().nullish(),
  high_country_confidence: z.boolean().nullish(),
});
export const V2ProxyPageSchema = pageSchema(V2ProxySchema);

/** What the sweep reads of a proxy: validity, country, and something to name it by. */
export const V2ProxyValiditySchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  proxy_address: z.string().nullable(),
  valid: z.boolean(),
  country_code: z.string().nullish(),
});
export const V2ProxyValidityPageSchema = pageSchema(V2ProxyValiditySchema);

/** GET /api/v3/proxy/list/status: the list's readiness, countries and (here) the credentials. */
export const V2ProxyListStatusSchema = z.object({
  state: z.string().nullish(),
  countries: countMap.nullish(),
  unallocated_countries: countMap.nullish(),
  username: z.string(),
  password: z.string(),
  is_proxy_used: z.boolean().nullish(),
});

/** GET /api/v2/proxy/config/ (the masquerade example's read; also what PATCH answers). */
export const V2ProxyConfigObjectSchema = z.object({
  countries: countMap.nullish(),
  username: z.string(),
  password: z.string(),
  proxy_list_download_token: z.string().nullish(),
});

/** GET /api/v3/proxy/config: settings and the download token; no credentials. */
export const V2ProxyConfigV3Schema = z.object({
  proxy_list_download_token: z.string().nullish(),
  auto_replace_invalid_proxies: z.boolean().nullish(),
});

export const V2IpAuthorizationSchema = z.object({
  id: z.number(),
  ip_address: z.string(),
  created_at: time.nullish(),
  last_used_at: time.nullish(),
});
export const V2IpAuthorizationPageSchema = pageSchema(V2IpAuthorizationSchema);

export const V2ReplacementStateSchema = z.enum([
  'validating',
  'validated',
  'processing',
  'completed',
  'failed',
]);

/** A replacement request (POST/GET /api/v3/proxy/replace/). */
export const V2ReplacementSchema = z.object({
  id: z.number(),
  state: V2ReplacementStateSchema,
  dry_run: z.boolean().nullish(),
  to_replace: z.unknown().optional(),
  replace_with: z.unknown().optional(),
  proxies_removed: num,
  proxies_added: num,
  reason: z.string().nullish(),
  error: z.string().nullish(),
  error_code: z.string().nullish(),
  created_at: time.nullish(),
  dry_run_completed_at: time.nullish(),
  completed_at: time.nullish(),
});
export type V2Replacement = z.output<typeof V2ReplacementSchema>;
export const V2ReplacementPageSchema = pageSchema(V2ReplacementSchema);

/** GET /api/v2/proxy/list/replaced/: what replaced what. */
export const V2ReplacedProxySchema = z.object({
  id: z.number().nullish(),
  reason: z.string().nullish(),
  proxy: z.string(),
  proxy_port: z.number().nullish(),
  proxy_country_code: z.string().nullish(),
  replaced_with: z.string().nullish(),
  replaced_with_port: z.number().nullish(),
  replaced_with_country_code: z.string().nullish(),
  created_at: time.nullish(),
});
export const V2ReplacedProxyPageSchema = pageSchema(V2ReplacedProxySchema);

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
export type V2SubUser = z.output<typeof V2SubUserSchema>;
export const V2SubUserPageSchema = pageSchema(V2SubUserSchema);
