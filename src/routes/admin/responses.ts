/**
 * Response schemas of the admin API, for /openapi.json. They describe the normalised shapes the
 * Webshare client returns (src/webshare/types.ts), plus the one error envelope every error uses.
 * Proxy passwords appear only in the resources that are credentials: proxy config and sub-users.
 */
import * as z from 'zod';
import '../../lib/zod-openapi-metadata';
import { ErrorSchema } from '../openapi-common';

const countMap = z.record(z.string(), z.number());
const maybeTime = z.string().nullable();

/** The one error envelope, shared with the other documented routes. */
export const ErrorEnvelope = ErrorSchema;

const ERROR_DESCRIPTIONS = {
  400: 'Invalid request: malformed JSON or a field failed validation (details name each field).',
  401: 'Missing or wrong bearer token (WWW-Authenticate is set).',
  403: 'The read-only token may only call GET routes.',
  404: 'Not found (here or at Webshare).',
  409: 'Conflict: a quota is spent or the same Idempotency-Key is in progress.',
  413: 'The request body is too large.',
  415: 'The request body is not JSON.',
  422: 'Webshare rejected the request (its field messages in details), or an Idempotency-Key was reused with a different body.',
  429: 'Webshare rate limit; see Retry-After.',
  502: 'Webshare failed or rejected the API key.',
  503: 'Not configured (the variable is named) or Webshare unavailable.',
  504: 'Webshare did not answer in time.',
} as const;

export type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

const errorResponse = (status: ErrorStatus) => ({
  description: ERROR_DESCRIPTIONS[status],
  content: { 'application/json': { schema: ErrorEnvelope } },
});

/** Errors every /v1 route can answer: auth, config, and the upstream mapping. */
const COMMON: ErrorStatus[] = [401, 403, 429, 502, 503, 504];

/** The error responses of a route: the common ones plus `extra`. */
export function errorResponses(...extra: ErrorStatus[]) {
  const statuses = [...new Set<ErrorStatus>([...extra, ...COMMON])].sort((a, b) => a - b);
  return Object.fromEntries(statuses.map((status) => [status, errorResponse(status)]));
}

/** A 200/201 JSON response description. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export const SubscriptionOut = z
  .object({
    proxy_type: z.string(),
    proxy_count: z.number(),
    countries: countMap,
    bandwidth_limit: z.number().openapi({ description: 'GB; 0 = unlimited' }),
    automatic_refresh_frequency: z.number(),
    automatic_refresh_percentage: z.number().nullable(),
    automatic_refresh_last_at: maybeTime,
    automatic_refresh_next_at: maybeTime,
    ondemand_refreshes_total: z.number(),
    ondemand_refreshes_used: z.number().nullable(),
    ondemand_refreshes_available: z.number().nullable(),
    proxy_replacements_total: z.number().nullable(),
    unlimited_ip_authorizations: z.boolean(),
    unlimited_burst_threads: z.boolean(),
    start_date: z.string(),
    end_date: z.string(),
    renewals_paid: z.number(),
    monthly_price: z.number().nullable(),
    yearly_price: z.number().nullable(),
    free_credits: z.number().nullable(),
    subuser_count: z.number().nullable(),
  })
  .openapi('Subscription');

export const ProxyConfigOut = z
  .object({
    countries: countMap,
    username: z.string(),
    password: z.string().openapi({ description: 'The proxy password: this resource is a credential.' }),
    authorized_ips: z.array(z.string()),
    download_links: z.record(z.string(), z.string()),
  })
  .openapi('ProxyConfig');

export const ReplacementInfoOut = z
  .object({
    automatic_refresh_frequency: z.number(),
    automatic_refresh_percentage: z.number(),
    automatic_refresh_last_at: maybeTime,
    automatic_refresh_next_at: maybeTime,
    ondemand_refreshes_total: z.number(),
    ondemand_refreshes_used: z.number(),
    ondemand_refreshes_available: z.number(),
    proxy_replacements_total: z.number(),
    proxy_replacements_used: z.number(),
    proxy_replacements_available: z.number(),
  })
  .openapi('ReplacementInfo');

export const ReplacementOut = z
  .object({
    ip_address: z.string().openapi({ example: '203.0.113.7/32' }),
    new_ip_address: z.string().nullable(),
    created_at: maybeTime,
    id: z.number().int().optional().openapi({
      description: "v2 only: Webshare's replacement id (GET /api/v3/proxy/replace/{id}/ follows it).",
    }),
    state: z
      .enum(['validating', 'validated', 'processing', 'completed', 'failed'])
      .optional()
      .openapi({ description: 'v2 only: where the asynchronous replacement stands (202 until completed).' }),
    error_code: z.string().nullable().optional(),
    error: z.string().nullable().optional(),
  })
  .openapi('Replacement');

export const ReplacementListOut = z
  .object({ count: z.number(), results: z.array(ReplacementOut) })
  .openapi('ReplacementList');

export const ProxyStatsOut = z
  .object({
    bandwidth_used: z.number(),
    bandwidth_remaining: z.number().nullable(),
    bandwidth_limit: z.number(),
    bandwidth_projected: z.number().nullable(),
    last_request_at: maybeTime,
    requests_total: z.number(),
    requests_successful: z.number(),
    requests_failed: z.number(),
    requests_countries: countMap,
    requests_error_reasons: countMap,
  })
  .openapi('ProxyStats');

export const ProxyOut = z
  .object({
    username: z.string().nullish(),
    password: z.string().nullish().openapi({ description: 'The proxy password (you asked for the list).' }),
    proxy_address: z.string(),
    ports: z.record(z.string(), z.number()).nullish(),
    valid: z.boolean(),
    last_verification: z.string().nullish(),
    country_code: z.string().nullish(),
    country_code_confidence: z.number().nullish(),
    city_name: z.string().nullish(),
  })
  .openapi('Proxy');

export const ProxyPageOut = z
  .object({
    count: z.number(),
    next: z.string().nullish().openapi({ description: "Webshare's link to the next page (use ?page=)." }),
    previous: z.string().nullish(),
    results: z.array(ProxyOut),
  })
  .openapi('ProxyPage');

export const SubUserOut = z
  .object({
    id: z.number().int(),
    label: z.string(),
    proxy_username: z.string(),
    proxy_password: z.string().openapi({ description: "The sub-user's proxy password: a credential." }),
    proxy_countries: countMap.nullable(),
    proxy_limit: z.number().openapi({ description: 'GB; 0 = unlimited' }),
    proxy_usage: z.number(),
    max_thread_count: z.number().nullable(),
    last_use: maybeTime,
    created_at: z.string().nullish(),
    updated_at: z.string().nullish(),
    bandwidth_use_start_date: z.string().nullish(),
    bandwidth_use_end_date: z.string().nullish(),
    verification_status: z.string().nullable(),
  })
  .openapi('SubUser');

/** In a list, credentials are null on the v2 dialect (Webshare's list has none; GET one sub-user for them). */
export const ListedSubUserOut = SubUserOut.extend({
  proxy_username: z.string().nullable(),
  proxy_password: z
    .string()
    .nullable()
    .openapi({ description: 'A credential; null in lists on the v2 dialect (read the one sub-user).' }),
}).openapi('ListedSubUser');

export const SubUserListOut = z
  .object({ count: z.number(), results: z.array(ListedSubUserOut) })
  .openapi('SubUserList');
