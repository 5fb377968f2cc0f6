/** The `/v1/status` and `/healthz` response shapes, and the summary of a snapshot behind `/v1/status`. */
import * as z from 'zod';
import '../lib/zod-openapi-metadata';
import type { AlertsOverview } from '../alerts/overview';
import { DIALECT_OF_UNMARKED_SNAPSHOTS, WEBSHARE_DIALECTS } from '../model/dialect';
import type { Snapshot } from '../model/snapshot';
import type { PollerState } from '../model/poller-state';

const TOP_COUNTRIES = 5;
const TOP_ERROR_REASONS = 5;
const PERSISTENT_SHOWN = 10;

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'unhealthy']),
    reasons: z
      .array(z.enum(['config_invalid', 'webshare_key_missing', 'no_recent_tick', 'webshare_auth']))
      .openapi({ description: 'Reason codes; the only detail a public answer carries' }),
    details: z
      .array(z.object({ code: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'With the admin or read-only token only: each reason with its message' }),
    config: z
      .object({
        ok: z.boolean(),
        problems: z.array(z.object({ variable: z.string(), message: z.string() })),
      })
      .optional(),
    last_tick_at: z.string().nullable().optional(),
    last_success_at: z.string().nullable().optional(),
    last_success_age_seconds: z.number().nullable().optional(),
    webshare_consecutive_failed_ticks: z.number().optional(),
    webshare_api: z.enum(WEBSHARE_DIALECTS).nullable().optional().openapi({
      description: 'With a token: the Webshare API in use (null until the first tick decides it)',
    }),
  })
  .openapi('Health');

const nullableNumber = z.number().nullable();

export const StatusSchema = z
  .object({
    taken_at: z.string(),
    age_seconds: z.number(),
    bandwidth: z
      .object({
        used_bytes: z.number(),
        limit_bytes: z.number(),
        unlimited: z.boolean(),
        used_percent: nullableNumber,
        remaining_bytes: nullableNumber,
        projected_bytes: nullableNumber,
        projected_percent: nullableNumber,
        period_end: z.string().nullable(),
      })
      .nullable(),
    requests: z
      .object({
        total: z.number(),
        failed: z.number(),
        failure_rate: nullableNumber,
        top_error_reasons: z.array(z.object({ reason: z.string(), count: z.number() })),
      })
      .nullable(),
    quotas: z.record(z.string(), z.unknown()).nullable(),
    invalid_proxies: z
      .object({
        count: z.number(),
        total: z.number(),
        ratio: z.number(),
        swept_at: z.string(),
        worst_countries: z.array(z.object({ country: z.string(), invalid: z.number(), total: z.number() })),
        persistent: z.array(
          z.object({
            proxy_address: z.string(),
            country_code: z.string().nullable(),
            consecutive_sweeps: z.number(),
          }),
        ),
      })
      .nullable(),
    sweep_progress: z.object({
      pages_done: z.number(),
      pages_total: nullableNumber,
      next_page: z.number(),
      started_at: z.string().nullable(),
    }),
    subusers: z
      .array(
        z.object({
          id: z.number(),
          label: z.string(),
          usage_bytes: z.number(),
          limit_gb: z.number(),
          usage_percent: nullableNumber,
        }),
      )
      .nullable(),
    errors: z.array(
      z.object({ source: z.string(), kind: z.string(), status: nullableNumber, message: z.string() }),
    ),
    subrequests: z.object({ used: z.number(), limit: z.number() }),
    webshare_api: z
      .object({
        dialect: z.enum(WEBSHARE_DIALECTS),
        source: z.enum(['config', 'probe', 'legacy']),
        decided_at: z.string().nullable(),
      })
      .openapi({
        description:
          'The Webshare API the last tick spoke, and how it was chosen: WEBSHARE_API_VERSION (config) or the auto probe.',
      }),
    webshare_consecutive_failed_ticks: z.number(),
    last_success_at: z.string().nullable(),
    remediation: z
      .object({
        last_tick: z
          .object({
            mode: z.enum(['live', 'dry_run']),
            sweep_finished_at: z.string().nullable(),
            entries: z.array(z.record(z.string(), z.unknown())),
            omitted: z.number(),
          })
          .nullable(),
        day: z.string().nullable(),
        replaced_today: z.number().nullable(),
        pending: z.array(
          z.object({ address: z.string(), attempts: z.number(), last_error: z.string().nullable() }),
        ),
        recent: z.array(
          z.object({ address: z.string(), new_address: z.string().nullable(), at: z.string() }),
        ),
        refresh_incident: z
          .object({ started_at: z.string(), refreshed_at: z.string().nullable() })
          .nullable(),
      })
      .nullable()
      .openapi({
        description:
          "Auto-remediation: this tick's actions, skips and refusals, today's count, pending retries, recent replacements",
      }),
    alerts: z
      .object({
        firing: z.array(z.record(z.string(), z.unknown())),
        pending: z.array(z.record(z.string(), z.unknown())),
        undeliverable: z.array(z.record(z.string(), z.unknown())),
        queued: z.number(),
        silences: z.number(),
      })
      .optional()
      .openapi({
        description:
          'Firing alerts, notifications that can never be delivered (e.g. 404/410), queued retries',
      }),
    warnings: z
      .array(z.object({ code: z.string(), message: z.string() }))
      .optional()
      .openapi({
        description:
          'Settings that work but leave something open, e.g. `slack_open_to_any_workspace` when SLACK_ALLOWED_TEAMS is unset',
      }),
  })
  .openapi('Status');
export type Status = z.infer<typeof StatusSchema>;

function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 100 : null;
}

function top(map: Record<string, number>, n: number): { reason: string; count: number }[] {
  return Object.entries(map)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([reason, count]) => ({ reason, count }));
}

export function summariseStatus(snapshot: Snapshot, state: PollerState | null, nowMs: number): Status {
  const { stats, sweep } = snapshot;
  return {
    taken_at: snapshot.taken_at,
    age_seconds: Math.max(0, Math.round((nowMs - Date.parse(snapshot.taken_at)) / 1000)),
    bandwidth: stats && {
      used_bytes: stats.bandwidth_used,
      limit_bytes: stats.bandwidth_limit,
      unlimited: stats.bandwidth_limit === 0,
      used_percent: percent(stats.bandwidth_used, stats.bandwidth_limit),
      remaining_bytes: stats.bandwidth_remaining,
      projected_bytes: stats.bandwidth_projected,
      projected_percent:
        stats.bandwidth_projected === null ? null : percent(stats.bandwidth_projected, stats.bandwidth_limit),
      period_end: snapshot.subscription?.end_date ?? null,
    },
    requests: stats && {
      total: stats.requests_total,
      failed: stats.requests_failed,
      failure_rate: stats.requests_total > 0 ? stats.requests_failed / stats.requests_total : null,
      top_error_reasons: top(stats.requests_error_reasons, TOP_ERROR_REASONS),
    },
    quotas: snapshot.quotas ? { ...snapshot.quotas } : null,
    invalid_proxies: sweep && {
      count: sweep.invalid,
      total: sweep.total,
      ratio: sweep.invalid_ratio,
      swept_at: sweep.finished_at,
      worst_countries: Object.entries(sweep.by_country)
        .filter(([, cell]) => cell.invalid > 0)
        .sort((a, b) => b[1].invalid - a[1].invalid || b[1].invalid / b[1].total - a[1].invalid / a[1].total)
        .slice(0, TOP_COUNTRIES)
        .map(([country, cell]) => ({ country, invalid: cell.invalid, total: cell.total })),
      persistent: sweep.invalid_proxies.slice(0, PERSISTENT_SHOWN),
    },
    sweep_progress: snapshot.sweep_progress,
    subusers:
      snapshot.subusers?.map((s) => ({
        id: s.id,
        label: s.label,
        usage_bytes: s.proxy_usage,
        limit_gb: s.proxy_limit_gb,
        usage_percent: s.usage_percent === null ? null : Math.round(s.usage_percent * 100) / 100,
      })) ?? null,
    errors: snapshot.errors,
    subrequests: snapshot.subrequests,
    webshare_api: webshareApiForStatus(snapshot, state),
    webshare_consecutive_failed_ticks: snapshot.consecutive_failed_ticks,
    last_success_at: state?.last_success_at ?? null,
    remediation: remediationForStatus(snapshot, state),
  };
}

/** The dialect the snapshot was taken in, and how it was chosen (snapshots from before v2: v1). */
function webshareApiForStatus(snapshot: Snapshot, state: PollerState | null): Status['webshare_api'] {
  const dialect = snapshot.webshare_api ?? DIALECT_OF_UNMARKED_SNAPSHOTS;
  const choice = state?.webshare_api;
  if (choice && choice.dialect === dialect) {
    return { dialect, source: choice.source, decided_at: choice.decided_at };
  }
  return { dialect, source: snapshot.webshare_api ? 'probe' : 'legacy', decided_at: null };
}

/** Replacements listed in /v1/status (newest first). */
const RECENT_REPLACEMENTS_SHOWN = 10;

/** The auto-remediation part of /v1/status; null when it has never recorded anything. */
function remediationForStatus(snapshot: Snapshot, state: PollerState | null): Status['remediation'] {
  const record = snapshot.remediation ?? null;
  const rem = state?.remediation;
  if (!record && !rem?.recent.length && !rem?.pending.length && !rem?.incident) return null;
  return {
    last_tick: record && {
      mode: record.mode,
      sweep_finished_at: record.sweep_finished_at,
      entries: record.entries as unknown as Record<string, unknown>[],
      omitted: record.omitted,
    },
    day: rem?.day || null,
    replaced_today: rem ? rem.replaced_today : (record?.replaced_today ?? null),
    pending: (rem?.pending ?? []).map((p) => ({
      address: p.address,
      attempts: p.attempts,
      last_error: p.last_error,
    })),
    recent: (rem?.recent ?? []).slice(0, RECENT_REPLACEMENTS_SHOWN),
    refresh_incident: rem?.incident
      ? { started_at: rem.incident.started_at, refreshed_at: rem.incident.refreshed_at }
      : null,
  };
}

/** The alert part of /v1/status: what is firing, and what could not be delivered and will not be retried. */
export function alertsForStatus(overview: AlertsOverview) {
  return {
    firing: overview.firing as unknown as Record<string, unknown>[],
    pending: overview.pending as unknown as Record<string, unknown>[],
    undeliverable: overview.undeliverable as unknown as Record<string, unknown>[],
    queued: overview.queued,
    silences: overview.silences.length,
  };
}
