/**
 * The v2 answers a cron tick reads (subscription, plan, aggregate stats, the sweep's page, sub-users),
 * read without zod so that a tick never loads it (../../lib/json-reader.ts says why). Each reader
 * accepts and answers what its zod schema did (test/webshare/readers.test.ts holds them to those
 * schemas); the rest of v2's answers keep their zod schemas (./schemas.ts), loaded on first use.
 * Lenient on purpose, as those schemas are: unknown fields are dropped, everything not needed for
 * normalising (./normalise.ts) is optional.
 */
import {
  array,
  boolean,
  nullable,
  nullish,
  number,
  object,
  parser,
  partial,
  record,
  string,
  type ReadOutput,
  type Reader,
} from '../../lib/json-reader';
import { pageReader } from '../page-reader';

const countMap = record(number);
const time = string;
const num = nullish(number);

/** GET /api/v2/subscription/: billing and term. The quotas live in the plan. */
const subscription = object({
  id: num,
  /** The active plan's id. */
  plan: number,
  start_date: time,
  end_date: time,
  renewals_paid: num,
  free_credits: num,
  term: nullish(string),
  paused: nullish(boolean),
  throttled: nullish(boolean),
});
export type V2Subscription = ReadOutput<typeof subscription>;
export const V2SubscriptionReader = parser(subscription);

/** GET /api/v2/subscription/plan/{id}/: `bandwidth_limit` is in GB (0 = unlimited). */
const plan = object({
  id: number,
  status: nullish(string),
  bandwidth_limit: number,
  monthly_price: num,
  yearly_price: num,
  proxy_type: string,
  proxy_subtype: nullish(string),
  proxy_count: number,
  proxy_countries: nullish(countMap),
  on_demand_refreshes_total: num,
  on_demand_refreshes_used: num,
  on_demand_refreshes_available: number,
  automatic_refresh_frequency: num,
  automatic_refresh_last_at: nullish(time),
  automatic_refresh_next_at: nullish(time),
  proxy_replacements_total: number,
  proxy_replacements_used: number,
  proxy_replacements_available: number,
  subusers_total: num,
  subusers_used: num,
  subusers_available: num,
  is_unlimited_ip_authorizations: nullish(boolean),
  is_high_concurrency: nullish(boolean),
});
export type V2Plan = ReadOutput<typeof plan>;
export const V2PlanReader = parser(plan);

const errorReason = object({
  reason: string,
  type: nullish(string),
  how_to_fix: nullish(string),
  http_status: num,
  count: number,
});

const aggregateStatsFields = {
  bandwidth_projected: num,
  bandwidth_total: number,
  bandwidth_average: num,
  requests_total: number,
  requests_successful: num,
  requests_failed: number,
  error_reasons: nullish(array(errorReason)),
  countries_used: nullish(countMap),
  number_of_proxies_used: num,
  protocols_used: nullish(countMap),
  average_concurrency: num,
  average_rps: num,
  last_request_sent_at: nullish(time),
};

/** GET /api/v2/stats/aggregate/ (and a sub-user's `aggregate_stats`). Bytes; no limit, no remaining. */
const aggregateStats = object(aggregateStatsFields);
export type V2AggregateStats = ReadOutput<typeof aggregateStats>;
export const V2AggregateStatsReader = parser(aggregateStats);

/** An id that Webshare sends as a string ("d-10513") or, in some examples, a number. */
const idString: Reader<string> = (value, at) =>
  typeof value === 'number' ? String(value) : string(value, at);

/** What the sweep reads of a proxy: validity, country, and something to name it by. */
const proxyValidity = object({
  id: idString,
  proxy_address: nullable(string),
  valid: boolean,
  country_code: nullish(string),
});
export const V2ProxyValidityPageReader = parser(pageReader(proxyValidity));

/** A sub-user: `proxy_limit` in GB (0 = unlimited), usage in `aggregate_stats`, and no credentials. */
const subUser = object({
  id: number,
  label: string,
  proxy_countries: nullish(countMap),
  proxy_limit: number,
  max_thread_count: num,
  aggregate_stats: nullish(object(partial(aggregateStatsFields))),
  created_at: nullish(time),
  updated_at: nullish(time),
  bandwidth_use_start_date: nullish(time),
  bandwidth_use_end_date: nullish(time),
});
export type V2SubUser = ReadOutput<typeof subUser>;
export const V2SubUserReader = parser(subUser);
export const V2SubUserPageReader = parser(pageReader(subUser));
