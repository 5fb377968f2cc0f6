/**
 * The `REMEDIATION` var: whether and how webshare-ops replaces dead proxies by itself. Off unless
 * asked for; `{ "enabled": true, "dry_run": true }` reports what it would do and changes nothing.
 * Unknown keys are rejected, as in ALERTS: a typo must not silently leave a safety limit at its default.
 */
import * as z from 'zod';
import { lazy } from '../lib/lazy';

const buildRemediationConfigSchema = () =>
  z.strictObject({
    /** Nothing is replaced or refreshed unless this is true. */
    enabled: z.boolean().default(false),
    /** Plan and notify as usual, but send no replacement or refresh to Webshare. */
    dry_run: z.boolean().default(false),
    /** A proxy is replaced once it has been invalid in this many consecutive finished sweeps. */
    replace_after_sweeps: z.number().int().min(1).max(100).default(3),
    /** `proxy_replacements_available` never drops below this many through auto-remediation. */
    keep_replacements: z.number().int().min(0).default(2),
    /** Replacements per UTC day, at most. */
    max_replacements_per_day: z.number().int().min(0).max(1000).default(10),
    /** Refresh the whole list (one on-demand refresh per incident) instead of replacing one by one. */
    refresh_enabled: z.boolean().default(false),
    /**
     * Invalid share of the list, in %, at or above which an incident starts; the one refresh is sent
     * once the incident has lasted `replace_after_sweeps` finished sweeps.
     */
    refresh_on_invalid_ratio_percent: z.number().gt(0).max(100).default(50),
  });

/** Built on first use: an isolate whose REMEDIATION is unset never builds it. */
export const remediationConfigSchema = lazy(buildRemediationConfigSchema);
export type RemediationConfig = z.output<ReturnType<typeof buildRemediationConfigSchema>>;
