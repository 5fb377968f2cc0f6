/**
 * The `ALERTS` var: thresholds, lifecycle timings and routing for the alert engine. Every field has a
 * documented default, so `{}` (or no ALERTS at all) is a complete, sensible configuration.
 */
import { z } from 'zod';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const CHANNELS = ['slack', 'discord', 'webhook'] as const;
const percent = z.number().min(0).max(1000);

export const AlertsConfigSchema = z.object({
  bandwidth: z
    .object({
      thresholds_percent: z.array(percent).min(1).default([80, 90, 100]),
      /** Resolve only once usage falls this many points below the lowest firing threshold. */
      hysteresis_percent: percent.default(5),
    })
    .prefault({}),
  projection: z.object({ enabled: z.boolean().default(true) }).prefault({}),
  invalid_proxies: z
    .object({
      ratio_percent: percent.default(10),
      spike_count: z.number().int().positive().default(5),
    })
    .prefault({}),
  failure_rate: z
    .object({
      threshold_percent: percent.default(20),
      min_requests: z.number().int().nonnegative().default(100),
    })
    .prefault({}),
  quotas: z
    .object({
      refreshes_exhausted: z.boolean().default(true),
      replacements_exhausted: z.boolean().default(true),
      subscription_ending_days: z.number().nonnegative().default(3),
    })
    .prefault({}),
  subusers: z.object({ usage_percent: percent.default(90) }).prefault({}),
  watchdog: z.object({ failed_ticks: z.number().int().positive().default(3) }).prefault({}),
  /** Ticks a condition must hold before it fires (Alertmanager's `for`). */
  pending_ticks: z.number().int().nonnegative().default(0),
  repeat_interval_minutes: z.number().positive().default(240),
  outbox_ttl_hours: z.number().positive().default(24),
  routing: z
    .record(z.enum(SEVERITIES), z.array(z.enum(CHANNELS)))
    .default({ info: [...CHANNELS], warning: [...CHANNELS], critical: [...CHANNELS] }),
});
export type AlertsConfig = z.output<typeof AlertsConfigSchema>;
