/**
 * The `PLANS` var: plan name → the sub-user a customer on that plan gets.
 * Example: { "starter": { "proxy_limit": 5, "max_thread_count": 50 }, "pro": { "proxy_limit": 50 } }
 */
import * as z from 'zod';
import { CountryCodeSchema } from '../lib/country-code';

export const PlanSchema = z.object({
  /** Bandwidth limit in GB; 0 means unlimited (as Webshare's own `proxy_limit`). */
  proxy_limit: z.number().min(0),
  max_thread_count: z.number().int().positive().optional(),
  proxy_countries: z.record(CountryCodeSchema, z.number().int().positive()).nullable().optional(),
});
export type Plan = z.output<typeof PlanSchema>;

export const PlansSchema = z.record(z.string().min(1), PlanSchema);
export type Plans = z.output<typeof PlansSchema>;
