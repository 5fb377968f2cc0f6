/**
 * zod schemas for the Webshare v2/v3 objects a cron tick does not read (those are read without zod, in
 * ./readers.ts; the client loads this module on first use), lenient on purpose: unknown fields are
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

/** The credentials of a proxy-config answer (PATCH /api/v2/proxy/config/); the rest is not ours to check. */
export const V2CredentialsSchema = z.object({ username: z.string(), password: z.string() });

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
