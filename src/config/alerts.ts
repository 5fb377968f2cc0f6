/**
 * The `ALERTS` var: thresholds, lifecycle timings and routing for the alert engine. Every field has a
 * documented default, so `{}` (or no ALERTS at all) is a complete, sensible configuration. Unknown
 * keys are rejected (a typo such as `thresholds_percnt` must not be silently ignored).
 */
import * as z from 'zod';
import { lazy } from '../lib/lazy';
import { CHANNELS } from '../model/notification';

function buildAlertsConfigSchema() {
  const percent = z.number().min(0).max(1000);
  const margin = z.number().min(0).max(100);
  const channelList = z.array(z.enum(CHANNELS));
  return z.strictObject({
    bandwidth: z
      .strictObject({
        /** Escalation steps, as % of the plan's bandwidth limit. Sorted and de-duplicated. */
        thresholds_percent: z
          .array(percent.positive())
          .min(1)
          .max(10)
          .default([80, 90, 100])
          .transform((list) => [...new Set(list)].sort((a, b) => a - b)),
        /** Resolve (or step down) only once usage falls this many points below the threshold. */
        hysteresis_percent: margin.default(5),
        /** Step at or above which the alert is critical (the others are warnings). */
        critical_percent: percent.default(100),
      })
      .prefault({}),
    projection: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** History samples needed before a forecast is made from history alone. */
        min_samples: z.number().int().min(2).default(3),
        /** Hours of history needed before a forecast is made from history alone (shorter is noise). */
        min_history_hours: z.number().nonnegative().default(1),
      })
      .prefault({}),
    invalid_proxies: z
      .strictObject({
        ratio_percent: percent.default(10),
        /** Invalid count up by at least this many since the previous finished sweep. */
        spike_count: z.number().int().positive().default(5),
        hysteresis_percent: margin.default(2),
        /** How many countries to name. */
        top_countries: z.number().int().min(1).max(10).default(3),
      })
      .prefault({}),
    failure_rate: z
      .strictObject({
        threshold_percent: percent.default(20),
        /** Requests the interval must have before its failure rate means anything. */
        min_requests: z.number().int().nonnegative().default(100),
        hysteresis_percent: margin.default(5),
      })
      .prefault({}),
    quotas: z
      .strictObject({
        refreshes_exhausted: z.boolean().default(true),
        replacements_exhausted: z.boolean().default(true),
        /** Warn when the subscription ends within this many days (0 turns it off). */
        subscription_ending_days: z.number().nonnegative().default(3),
      })
      .prefault({}),
    subusers: z
      .strictObject({
        usage_percent: percent.positive().default(90),
        hysteresis_percent: margin.default(5),
      })
      .prefault({}),
    watchdog: z
      .strictObject({
        /** Consecutive ticks Webshare must be unreachable (or reject the key) before it fires. */
        failed_ticks: z.number().int().positive().default(3),
      })
      .prefault({}),
    /** Extra ticks a condition must hold before it fires (Alertmanager's `for`); 0 fires at once. */
    pending_ticks: z.number().int().nonnegative().max(100).default(0),
    /** Reminder while an alert keeps firing. */
    repeat_interval_minutes: z.number().positive().default(240),
    /** How long an undelivered notification is retried on following ticks. */
    outbox_ttl_hours: z.number().positive().max(168).default(24),
    delivery: z
      .strictObject({
        timeout_ms: z.number().int().min(100).max(30_000).default(5000),
        /** Attempts per notification within one tick (5xx, timeouts, short 429s). */
        attempts_per_tick: z.number().int().min(1).max(5).default(3),
      })
      .prefault({}),
    /** Which channels each severity goes to. A channel also needs its URL configured. */
    routing: z
      .strictObject({
        info: channelList.default([...CHANNELS]),
        warning: channelList.default([...CHANNELS]),
        critical: channelList.default([...CHANNELS]),
      })
      .prefault({}),
  });
}

/** Built on first use: an isolate whose ALERTS is unset never builds it (DEFAULT_ALERTS_CONFIG). */
export const alertsConfigSchema = lazy(buildAlertsConfigSchema);
export type AlertsConfig = z.output<ReturnType<typeof buildAlertsConfigSchema>>;
