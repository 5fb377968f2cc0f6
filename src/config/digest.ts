/**
 * The `DIGEST` var: an optional scheduled summary of the account, sent to the configured channels.
 * Off by default. A TOML table / JSON object, or a short string:
 *   { "schedule": "weekly", "day": "monday", "hour_utc": 9 }   or   "weekly:mon:09"
 *   { "schedule": "daily", "hour_utc": 7 }                     or   "daily:07"
 *   "off" (the default)
 * Unknown keys and malformed strings are rejected, as in ALERTS.
 */
import * as z from 'zod';
import { lazy } from '../lib/lazy';
import { WEEKDAYS } from './weekdays';

const buildDigestObjectSchema = () =>
  z.strictObject({
    schedule: z.enum(['off', 'daily', 'weekly']).default('off'),
    /** Day of a weekly digest (UTC). */
    day: z.enum(WEEKDAYS).default('monday'),
    /** Hour (UTC) the digest goes out, 0–23; the first tick at or after it sends it. */
    hour_utc: z.number().int().min(0).max(23).default(9),
    /** Sub-users listed, by usage. */
    top_subusers: z.number().int().min(1).max(25).default(5),
  });

const SHORTHAND = /^(off|daily|weekly)(?::([a-z]{3,9}))?(?::(\d{1,2}))?$/;

function buildDigestConfigSchema() {
  const objectSchema = buildDigestObjectSchema();
  /** "weekly:mon:09", "weekly:monday:9", "daily:07", "weekly", "off" → the object form. */
  const shorthandSchema = z.string().transform((text, ctx) => {
    const match = SHORTHAND.exec(text.trim().toLowerCase());
    const schedule = match?.[1] as 'off' | 'daily' | 'weekly' | undefined;
    const dayText = match?.[2];
    const day = dayText ? WEEKDAYS.find((d) => d.startsWith(dayText) && dayText.length >= 3) : undefined;
    const hour = match?.[3] === undefined ? undefined : Number(match[3]);
    const badDay = dayText !== undefined && (schedule !== 'weekly' || day === undefined);
    if (!schedule || badDay || (hour !== undefined && hour > 23)) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected "off", "daily:HH" or "weekly:DAY:HH" (e.g. "weekly:mon:09"), or an object',
      });
      return z.NEVER;
    }
    return objectSchema.parse({
      schedule,
      ...(day ? { day } : {}),
      ...(hour === undefined ? {} : { hour_utc: hour }),
    });
  });
  return z.union([shorthandSchema, objectSchema]);
}

export type DigestConfig = z.output<ReturnType<typeof buildDigestObjectSchema>>;
/** Built on first use: an isolate whose DIGEST is unset never builds it. */
export const digestConfigSchema = lazy(buildDigestConfigSchema);

/** parseStructured reads a string as JSON: a short form is passed on as a JSON string of itself. */
export function digestInput(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  return text === '' || text.startsWith('{') ? text : JSON.stringify(text);
}
