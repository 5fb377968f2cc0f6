/**
 * What an unset ALERTS, DIGEST or REMEDIATION means, written out, apart from the zod schemas that read
 * a set one (./alerts.ts, ./digest.ts, ./remediation.ts): a deployment that leaves them unset, and so
 * every cron tick of it, never loads zod (docs/performance.md, "The cold tick").
 * test/config-defaults.test.ts holds each equal to its schema's `parse({})`.
 */
import { CHANNELS } from '../model/notification';
import type { AlertsConfig } from './alerts';
import type { DigestConfig } from './digest';
import type { RemediationConfig } from './remediation';

/** `alertsConfigSchema().parse({})`, written out (a test holds the two equal). */
export const DEFAULT_ALERTS_CONFIG: AlertsConfig = {
  bandwidth: { thresholds_percent: [80, 90, 100], hysteresis_percent: 5, critical_percent: 100 },
  projection: { enabled: true, min_samples: 3, min_history_hours: 1 },
  invalid_proxies: { ratio_percent: 10, spike_count: 5, hysteresis_percent: 2, top_countries: 3 },
  failure_rate: { threshold_percent: 20, min_requests: 100, hysteresis_percent: 5 },
  quotas: { refreshes_exhausted: true, replacements_exhausted: true, subscription_ending_days: 3 },
  subusers: { usage_percent: 90, hysteresis_percent: 5 },
  watchdog: { failed_ticks: 3 },
  pending_ticks: 0,
  repeat_interval_minutes: 240,
  outbox_ttl_hours: 24,
  delivery: { timeout_ms: 5000, attempts_per_tick: 3 },
  routing: { info: [...CHANNELS], warning: [...CHANNELS], critical: [...CHANNELS] },
};

/** The object form's `parse({})`, written out (a test holds the two equal): off. */
export const DEFAULT_DIGEST_CONFIG: DigestConfig = {
  schedule: 'off',
  day: 'monday',
  hour_utc: 9,
  top_subusers: 5,
};

/** `remediationConfigSchema().parse({})`, written out (a test holds the two equal): everything off. */
export const DEFAULT_REMEDIATION_CONFIG: RemediationConfig = {
  enabled: false,
  dry_run: false,
  replace_after_sweeps: 3,
  keep_replacements: 2,
  max_replacements_per_day: 10,
  refresh_enabled: false,
  refresh_on_invalid_ratio_percent: 50,
};
