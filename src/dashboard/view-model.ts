/**
 * Turns the latest snapshot, its history and the alerts overview into what the dashboard shows.
 * Pure: no I/O, so it is tested directly and the page only lays it out.
 */
import type { AlertsOverview } from '../alerts/engine';
import { formatDay, formatPercent } from '../lib/format';
import type { Snapshot } from '../model/snapshot';
import type { Point } from './charts';

export interface DashboardView {
  takenAt: string | null;
  /** The Webshare API the last tick spoke (v1 for snapshots from before v2 support). */
  webshareApi: 'v1' | 'v2' | null;
  bandwidth: {
    percent: number | null;
    usedBytes: number;
    limitBytes: number;
    projectedPercent: number | null;
    projectedBytes: number | null;
    periodEnd: string | null;
  } | null;
  bandwidthSeries: Point[];
  projection: { target: Point; label: string } | undefined;
  thresholds: number[];
  invalidSeries: Point[];
  invalid: {
    count: number;
    total: number;
    ratio: number;
    byCountry: { country: string; invalid: number; total: number }[];
  } | null;
  quotas: Snapshot['quotas'];
  subusers: NonNullable<Snapshot['subusers']>;
  errors: Snapshot['errors'];
  alerts: AlertsOverview | null;
}

export function percentOf(part: number, whole: number): number | null {
  return whole > 0 ? (part / whole) * 100 : null;
}

export function buildDashboardView(input: {
  latest: Snapshot | null;
  /** Newest first, as the store returns it. */
  history: Snapshot[];
  alerts: AlertsOverview | null;
  thresholds: number[];
}): DashboardView {
  const { latest } = input;
  const oldestFirst = [...input.history].reverse();
  const stats = latest?.stats ?? null;
  const periodEnd = latest?.subscription?.end_date ?? null;

  const bandwidthSeries = oldestFirst
    .filter((s) => s.stats && s.stats.bandwidth_limit > 0)
    .map((s) => ({
      t: Date.parse(s.taken_at),
      v: (s.stats!.bandwidth_used / s.stats!.bandwidth_limit) * 100,
    }));

  let projection: DashboardView['projection'];
  if (stats && stats.bandwidth_limit > 0 && stats.bandwidth_projected !== null && periodEnd) {
    const endMs = Date.parse(periodEnd);
    const lastMs = bandwidthSeries.at(-1)?.t ?? Date.parse(latest!.taken_at);
    const projectedPercent = (stats.bandwidth_projected / stats.bandwidth_limit) * 100;
    if (endMs > lastMs) {
      projection = {
        target: { t: endMs, v: projectedPercent },
        label: `→ ${formatPercent(projectedPercent)} by ${formatDay(endMs)}`,
      };
    }
  }

  // One point per finished sweep: a sweep result is carried in every snapshot until the next one.
  const seenSweeps = new Set<string>();
  const invalidSeries: Point[] = [];
  for (const snapshot of oldestFirst) {
    const sweep = snapshot.sweep;
    if (!sweep || seenSweeps.has(sweep.finished_at)) continue;
    seenSweeps.add(sweep.finished_at);
    invalidSeries.push({ t: Date.parse(sweep.finished_at), v: sweep.invalid });
  }

  const sweep = latest?.sweep ?? null;
  return {
    takenAt: latest?.taken_at ?? null,
    webshareApi: latest ? (latest.webshare_api ?? 'v1') : null,
    bandwidth: stats && {
      percent: percentOf(stats.bandwidth_used, stats.bandwidth_limit),
      usedBytes: stats.bandwidth_used,
      limitBytes: stats.bandwidth_limit,
      projectedBytes: stats.bandwidth_projected,
      projectedPercent:
        stats.bandwidth_projected === null
          ? null
          : percentOf(stats.bandwidth_projected, stats.bandwidth_limit),
      periodEnd,
    },
    bandwidthSeries,
    projection,
    thresholds: input.thresholds,
    invalidSeries,
    invalid: sweep && {
      count: sweep.invalid,
      total: sweep.total,
      ratio: sweep.invalid_ratio,
      byCountry: Object.entries(sweep.by_country)
        .map(([country, cell]) => ({ country, ...cell }))
        .sort((a, b) => b.invalid - a.invalid || b.total - a.total),
    },
    quotas: latest?.quotas ?? null,
    subusers: latest?.subusers ?? [],
    errors: latest?.errors ?? [],
    alerts: input.alerts,
  };
}
