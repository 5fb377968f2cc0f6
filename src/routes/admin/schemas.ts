/**
 * Request schemas of the admin API. They validate every request (through the app's one
 * defaultHook, which names each bad field) and, via `.openapi()` metadata, produce /openapi.json:
 * one source for both.
 */
import * as z from 'zod';
import '../../lib/zod-openapi-metadata';
import { CountryCodeSchema } from '../../lib/country-code';
import { toCidr } from '../../lib/ip';
import { SUBUSER_LABEL_MAX_LENGTH } from '../../webshare/types';

/** Webshare does not document a label limit; 128 keeps labels readable in chat and dashboards. */
/** Stripe's limit for the same header; long enough for any UUID or composite key. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

export const SubUserIdParams = z.object({
  id: z.coerce
    .number({ error: 'expected a positive whole number' })
    .int('expected a positive whole number')
    .positive('expected a positive whole number')
    .max(Number.MAX_SAFE_INTEGER)
    .openapi({ param: { name: 'id', in: 'path' }, type: 'integer', example: 42 }),
});

export const ReplaceBody = z
  .object({
    ip_address: z
      .string()
      .refine(
        (value) => toCidr(value) !== null,
        'expected an IPv4/IPv6 address or a CIDR range like 10.0.0.0/24',
      )
      .openapi({
        description: 'One proxy (an address, meaning /32) or every proxy in a CIDR range.',
        example: '203.0.113.7',
      }),
  })
  .openapi('ReplaceRequest');

const proxyCountries = z
  .record(
    CountryCodeSchema,
    z.number().int('expected a whole number of proxies').positive('expected at least 1 proxy'),
  )
  .nullable()
  .openapi({
    description: 'null: no custom list. Otherwise country code → number of proxies; ZZ means any country.',
    example: { US: 5, FR: 2 },
  });

const subUserFields = {
  label: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(SUBUSER_LABEL_MAX_LENGTH, `at most ${SUBUSER_LABEL_MAX_LENGTH} characters`)
    .openapi({ example: 'customer-1042' }),
  proxy_limit: z
    .number()
    .nonnegative('must be 0 (unlimited) or more')
    .openapi({ description: 'Bandwidth limit in GB; 0 means unlimited.', example: 10 }),
  max_thread_count: z
    .number()
    .int('expected a whole number')
    .positive('must be above 0')
    .openapi({ description: 'Maximum concurrent proxy requests.', example: 500 }),
  proxy_countries: proxyCountries,
};

export const SubUserCreateBody = z
  .object({
    label: subUserFields.label,
    proxy_limit: subUserFields.proxy_limit,
    max_thread_count: subUserFields.max_thread_count.optional(),
    proxy_countries: subUserFields.proxy_countries.optional(),
  })
  .strict()
  .openapi('SubUserCreate');

export const SubUserUpdateBody = z
  .object({
    label: subUserFields.label.optional(),
    proxy_limit: subUserFields.proxy_limit.optional(),
    max_thread_count: subUserFields.max_thread_count.optional(),
    proxy_countries: subUserFields.proxy_countries.optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'give at least one field to change')
  .openapi('SubUserUpdate');

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1, 'must not be empty')
    .max(IDEMPOTENCY_KEY_MAX_LENGTH, `at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .openapi({
      param: { in: 'header' }, // header names are case-insensitive; Hono lower-cases them
      description:
        'Recommended: makes this write safe to retry. The same key with the same request returns the stored ' +
        'result for 24 h (`Idempotent-Replayed: true`) without calling Webshare again; with a different ' +
        'request → 422; while the first request runs → 409 (retry). Without it every request does the work.',
      example: 'signup-7f3c2a',
    }),
});

export const ProxyListQuery = z.object({
  page: z.coerce
    .number()
    .int('expected a whole number')
    .positive('expected 1 or more')
    .optional()
    .openapi({ param: { name: 'page', in: 'query' }, type: 'integer', example: 1 }),
  countries: z
    .string()
    .transform((value) => value.split(',').map((code) => code.trim().toUpperCase()))
    .pipe(z.array(CountryCodeSchema).min(1))
    .optional()
    .openapi({
      param: { name: 'countries', in: 'query' },
      type: 'string',
      description: 'Comma-separated country codes.',
      example: 'US,FR',
    }),
});
