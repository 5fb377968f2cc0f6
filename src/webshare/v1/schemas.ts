/**
 * zod schemas for the Webshare v1 objects a cron tick does not read (those are read without zod, in
 * ./readers.ts; the client loads this module on first use), lenient on purpose: unknown fields are
 * dropped, fields the documentation shows as null are nullable, and every spelling the document itself
 * uses is normalised to one shape (its examples disagree with its own tables in several places). Each
 * schema answers one of the worker's own types (../types.ts): `satisfies` checks it at compile time.
 */
import * as z from 'zod';
import { pageSchema } from '../page-schema';
import type { Page, Proxy, ProxyConfig, Replacement } from '../types';

const countMap = z.record(z.string(), z.number());
const timestamp = z.string();
const optionalNumber = z.number().nullish();

export const ProfileSchema = z.object({
  email: z.string(),
  full_name: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  date_joined: timestamp.nullish(),
  last_login: timestamp.nullish(),
});

export const DownloadLinksSchema = z.record(z.string(), z.string());

export const ProxyConfigSchema = z.object({
  countries: countMap.nullish().transform((v) => v ?? {}),
  username: z.string(),
  password: z.string(),
  authorized_ips: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  download_links: DownloadLinksSchema.nullish().transform((v) => v ?? {}),
}) satisfies z.ZodType<ProxyConfig>;

export const ProxySchema = z.object({
  /** v2 only: Webshare's proxy id, a string such as "d-10513". */
  id: z.string().optional(),
  username: z.string().nullish(),
  password: z.string().nullish(),
  proxy_address: z.string(),
  ports: z.record(z.string(), z.number()).nullish(),
  valid: z.boolean(),
  last_verification: timestamp.nullish(),
  country_code: z.string().nullish(),
  country_code_confidence: optionalNumber,
  city_name: z.string().nullish(),
}) satisfies z.ZodType<Proxy>;

export const ProxyPageSchema = pageSchema(ProxySchema) satisfies z.ZodType<Page<Proxy>>;

// The validity sweep's page (three fields of each proxy) is read by hand: ./validity-page.ts.

/** A replacement. `ip_address` may lack its CIDR suffix; the document says to assume /32. */
export const ReplacementSchema = z
  .object({
    ip_address: z.string(),
    new_ip_address: z.string().nullish(),
    created_at: timestamp.nullish(),
  })
  .transform((r) => ({
    ip_address: r.ip_address.includes('/') ? r.ip_address : `${r.ip_address}/32`,
    new_ip_address: r.new_ip_address ?? null,
    created_at: r.created_at ?? null,
  })) satisfies z.ZodType<Replacement>;

/** The replacement list is documented as a bare array; a paginated envelope is accepted too. */
export const ReplacementListSchema = z.union([
  z.array(ReplacementSchema),
  pageSchema(ReplacementSchema).transform((page) => page.results),
]) satisfies z.ZodType<Replacement[]>;
