/**
 * The `PLANS` var: plan name → the sub-user a customer on that plan gets.
 * Example: { "starter": { "proxy_limit": 5, "max_thread_count": 50 }, "pro": { "proxy_limit": 50 } }
 */
import * as z from 'zod';
import { CountryCodeSchema } from '../lib/country-code';
import { lazy } from '../lib/lazy';

const buildPlanSchema = () =>
  z.object({
    /** Bandwidth limit in GB; 0 means unlimited (as Webshare's own `proxy_limit`). */
    proxy_limit: z.number().min(0),
    max_thread_count: z.number().int().positive().optional(),
    proxy_countries: z.record(CountryCodeSchema, z.number().int().positive()).nullable().optional(),
  });
export type Plan = z.output<ReturnType<typeof buildPlanSchema>>;

const buildPlansSchema = () => z.record(z.string().min(1), buildPlanSchema());
/** Built on first use: an isolate whose PLANS is unset never builds it. */
export const plansSchema = lazy(buildPlansSchema);
export type Plans = z.output<ReturnType<typeof buildPlansSchema>>;
