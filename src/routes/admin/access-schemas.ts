/**
 * Request and response schemas of the proxy-access routes (authorised IPs, password reset). Apart
 * from schemas.ts so this feature reads in one place.
 */
import * as z from 'zod';
import '../../lib/zod-openapi-metadata';
import { canonicalIp } from '../../lib/ip';
import { AUTHORIZED_IPS_MAX, uniqueIps } from '../../webshare/access';

/** Bounds the raw list (duplicates included) so a huge body is refused before any work. */
const AUTHORIZED_IPS_RAW_MAX = AUTHORIZED_IPS_MAX * 4;
export const RESET_REASON_MAX_LENGTH = 200;

const authorizedIp = z.string().superRefine((value, ctx) => {
  if (canonicalIp(value) !== null) return;
  ctx.addIssue({
    code: 'custom',
    message: value.includes('/')
      ? 'CIDR ranges are not accepted: Webshare authorises single IPv4/IPv6 addresses'
      : 'expected an IPv4 or IPv6 address like 203.0.113.7 or 2001:db8::1',
  });
});

export const AuthorizedIpsBody = z
  .object({
    authorized_ips: z
      .array(authorizedIp)
      .max(AUTHORIZED_IPS_RAW_MAX, `at most ${AUTHORIZED_IPS_RAW_MAX} entries`)
      .transform((ips) => uniqueIps(ips))
      .refine((ips) => ips.length <= AUTHORIZED_IPS_MAX, `at most ${AUTHORIZED_IPS_MAX} distinct addresses`)
      .openapi({
        description:
          `The whole new set of authorised IPs (it replaces the current one): single IPv4/IPv6 ` +
          `addresses, at most ${AUTHORIZED_IPS_MAX}, duplicates (any spelling) collapsed; [] removes all.`,
        example: ['203.0.113.7', '2001:db8::1'],
      }),
  })
  .strict()
  .openapi('AuthorizedIpsUpdate');

export const AuthorizedIpsChangeOut = z
  .object({
    added: z.array(z.string()).openapi({ description: 'Addresses authorised by this request.' }),
    removed: z.array(z.string()).openapi({ description: 'Addresses no longer authorised.' }),
    authorized_ips: z.array(z.string()).openapi({ description: 'The whole set afterwards.' }),
  })
  .openapi('AuthorizedIpsChange');

/**
 * No character of Unicode category Cc (U+0000-U+001F, U+007F-U+009F): the same set as `\p{Cc}`,
 * spelled as a range because OpenAPI patterns are regexes without flags and `\p{…}` needs the `u`
 * flag (the generator also copies a flag into the pattern text, where it matches nothing).
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001F\u007F-\u009F]*$/;

export const ResetPasswordBody = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(RESET_REASON_MAX_LENGTH, `at most ${RESET_REASON_MAX_LENGTH} characters`)
      .regex(NO_CONTROL_CHARACTERS, 'one line of text without control characters')
      .optional()
      .openapi({ description: 'Said in the announcement on the channels.', example: 'leaked in a CI log' }),
  })
  .strict()
  .openapi('ResetPasswordRequest');

const announced = z.array(
  z.object({
    channel: z.enum(['slack', 'discord', 'webhook']),
    outcome: z.enum(['delivered', 'queued', 'undeliverable']),
  }),
);

export const ResetPasswordOut = z
  .object({
    username: z.string(),
    password: z.string().openapi({ description: 'The new proxy password: shown here and nowhere else.' }),
    reset_at: z.string().openapi({ example: '2026-05-01T12:00:00.000Z' }),
    announced: announced.openapi({
      description:
        'Channels told of the reset (without the password); queued ones are retried by the next ticks.',
    }),
  })
  .openapi('ResetPasswordResult');
