/**
 * Turns the poller state (latest snapshot, daily rollups, remediation log) and the alerts overview into
 * what the dashboard shows. Pure: no I/O, so it is tested directly and the page only lays it out.
 */
import { subUserLimitBytes } from '../model/snapshot';
import type { AlertsOverview } from '../alerts/overview';
import { formatBytes, formatDay, formatPercent } from '../lib/format';
import { DIALECT_OF_UNMARKED_SNAPSHOTS, type WebshareDialect } from '../model/dialect';
import type { PollerState } from '../model/poller-state';
import type { ReplacedProxy } from '../model/remediation';
import type { RemediationLogEntry, RollupPoint } from '../model/rollup';
import type { Snapshot, SubUserUsage } from '../model/snapshot';
import type { DeliveryRecord } from '../notifiers/outbox';
import type { StatusWarning } from '../status/warnings';
import type { Point } from './charts';

/** The billing period when the subscription is unknown: the last 30 days. */
const FALLBACK_PERIOD_MS = 30 * 86_400_000;
const NOTIFICATION_GROUPS_SHOWN = 8;

export interface PeriodRow {
  day: string;
  usedBytes: number | null;
  usedPercent: number | null;
  invalid: number | null;
  invalidMax: number | null;
}

export interface NotificationGroup {
  id: string;
  /** What the list says: a resolution reads "Resolved: <the alert's title>". */
  title: string;
  /** A resolution's own words ("Bandwidth is back to 2% of 50 GB."); null for any other message. */
  detail: string | null;
  at: string;
  event: DeliveryRecord['event'];
  channels: { channel: string; outcome: DeliveryRecord['outcome']; status: number | null }[];
}

export interface SubUserRow extends SubUserUsage {
  limitBytes: number | null;
}

export interface DashboardView {
  takenAt: string | null;
  /** The Webshare API the last tick spoke (v1 for snapshots from before v2 support). */
  webshareApi: WebshareDialect | null;
  bandwidth: {
    percent: number | null;
    usedBytes: number;
    limitBytes: number;
    projectedPercent: number | null;
    projectedBytes: number | null;
    periodEnd: string | null;
  } | null;
  period: { startMs: number; endMs: number; known: boolean };
  /** Used bandwidth: % of the limit, or GB on an unlimited plan. */
  usageUnit: 'percent' | 'count';
  usagePoints: Point[];
  projection: { target: Point; label: string } | undefined;
  thresholds: number[];
  invalidPoints: Point[];
  periodRows: PeriodRow[];
  usageSummary: string;
  invalidSummary: string;
  invalid: {
    count: number;
    total: number;
    ratio: number;
    byCountry: { country: string; invalid: number; total: number }[];
  } | null;
  quotas: Snapshot['quotas'];
  subusers: SubUserRow[];
  errors: Snapshot['errors'];
  alerts: AlertsOverview | null;
  notifications: NotificationGroup[];
  remediation: RemediationLogEntry[];
  replacements: ReplacedProxy[];
  /** Settings that leave something open (see status/warnings.ts). */
  warnings: StatusWarning[];
}

export function percentOf(part: number, whole: number): number | null {
  return whole > 0 ? (part / whole) * 100 : null;
}

/** Finished days, then this day's hours: period-to-date points, oldest first. */
function periodPoints(state: PollerState): RollupPoint[] {
  const rollups = state.rollups;
  return rollups ? [...rollups.days, ...rollups.hours] : [];
}

/**
 * One group per notification, newest first, with each channel's outcome. A resolution carries the
 * title of the alert it ends, so it is shown as one ("Resolved: …", with its own words), never under
 * the firing title while nothing fires.
 */
export function groupNotifications(records: readonly DeliveryRecord[]): NotificationGroup[] {
  const groups = new Map<string, NotificationGroup>();
  for (const record of [...records].sort((a, b) => b.at.localeCompare(a.at))) {
    const resolved = record.event === 'alert.resolved';
    const group = groups.get(record.id) ?? {
      id: record.id,
      title: resolved ? `Resolved: ${record.title}` : record.title,
      detail: resolved ? (record.resolution ?? null) : null,
      at: record.at,
      event: record.event,
      channels: [],
    };
    // The newest outcome per channel wins (a queued message later delivered shows as delivered).
    if (!group.channels.some((c) => c.channel === record.channel)) {
      group.channels.push({ channel: record.channel, outcome: record.outcome, status: record.status });
    }
    groups.set(record.id, group);
  }
  return [...groups.values()].slice(0, NOTIFICATION_GROUPS_SHOWN).map((g) => ({
    ...g,
    channels: [...g.channels].sort((a, b) => a.channel.localeCompare(b.channel)),
  }));
}

/** Points by time, one per instant (a rollup point and the snapshot it ends on share one), oldest first. */
function byTime(points: Point[]): Point[] {
  const unique = new Map(points.map((p) => [p.t, p]));
  return [...unique.values()].sort((a, b) => a.t - b.t);
}

function usageSeries(points: RollupPoint[], recent: Snapshot[], startMs: number, latest: Snapshot | null) {
  const limit = latest?.stats?.bandwidth_limit ?? points.at(-1)?.bandwidth_limit ?? 0;
  const unit: DashboardView['usageUnit'] = limit > 0 ? 'percent' : 'count';
  const value = (bytes: number) => (unit === 'percent' ? (bytes / limit) * 100 : bytes / 1024 ** 3);
  const fromRollups = points
    .filter((p) => p.bandwidth_used !== null)
    .map((p) => ({ t: Date.parse(p.taken_at), v: value(p.bandwidth_used!) }));
  // This hour's snapshots (read with the state, at no extra cost) detail the end of the line.
  const fromRecent = recent
    .filter((s) => s.stats)
    .map((s) => ({ t: Date.parse(s.taken_at), v: value(s.stats!.bandwidth_used) }));
  const series = byTime([...fromRollups, ...fromRecent]).filter((p) => p.t >= startMs);
  return { unit, series, value };
}

export function buildDashboardView(input: {
  state: PollerState;
  /** The snapshots of the bucket the state was read from (this hour's), oldest first. */
  recent?: Snapshot[];
  alerts: AlertsOverview | null;
  thresholds: number[];
  nowMs: number;
  warnings?: StatusWarning[];
}): DashboardView {
  const { state, nowMs } = input;
  const latest = state.latest;
  const stats = latest?.stats ?? null;
  const subscription = latest?.subscription ?? state.subscription_cache;
  const period = subscription
    ? { startMs: Date.parse(subscription.start_date), endMs: Date.parse(subscription.end_date), known: true }
    : { startMs: nowMs - FALLBACK_PERIOD_MS, endMs: nowMs, known: false };
  const points = periodPoints(state);
  const recent = input.recent ?? [];
  const usage = usageSeries(points, recent, period.startMs, latest);

  let projection: DashboardView['projection'];
  if (stats && stats.bandwidth_projected !== null && period.known && period.endMs > nowMs) {
    const v = usage.value(stats.bandwidth_projected);
    projection = {
      target: { t: period.endMs, v },
      label: usage.unit === 'percent' ? formatPercent(Math.round(v)) : formatBytes(stats.bandwidth_projected),
    };
  }

  const inPeriod = points.filter((p) => Date.parse(p.taken_at) >= period.startMs);
  const invalidPoints = byTime([
    ...inPeriod.filter((p) => p.invalid !== null).map((p) => ({ t: Date.parse(p.taken_at), v: p.invalid! })),
    ...recent
      .filter((s) => s.sweep && Date.parse(s.taken_at) >= period.startMs)
      .map((s) => ({ t: Date.parse(s.taken_at), v: s.sweep!.invalid })),
  ]);
  const days = [...(state.rollups?.days ?? [])];
  const today = state.rollups?.hours.at(-1);
  const periodRows = [...days, ...(today ? [{ ...today, start: `${state.rollups!.day}T00:00:00.000Z` }] : [])]
    .filter((p) => Date.parse(p.taken_at) >= period.startMs)
    .map((p) => ({
      day: p.start.slice(0, 10),
      usedBytes: p.bandwidth_used,
      usedPercent:
        p.bandwidth_used !== null && p.bandwidth_limit
          ? percentOf(p.bandwidth_used, p.bandwidth_limit)
          : null,
      invalid: p.invalid,
      invalidMax: p.invalid_max,
    }));

  const sweep = latest?.sweep ?? null;
  const bandwidth = stats && {
    percent: percentOf(stats.bandwidth_used, stats.bandwidth_limit),
    usedBytes: stats.bandwidth_used,
    limitBytes: stats.bandwidth_limit,
    projectedBytes: stats.bandwidth_projected,
    projectedPercent:
      stats.bandwidth_projected === null ? null : percentOf(stats.bandwidth_projected, stats.bandwidth_limit),
    periodEnd: subscription?.end_date ?? null,
  };
  return {
    takenAt: latest?.taken_at ?? null,
    webshareApi: latest ? (latest.webshare_api ?? DIALECT_OF_UNMARKED_SNAPSHOTS) : null,
    bandwidth,
    period,
    usageUnit: usage.unit,
    usagePoints: usage.series,
    projection,
    thresholds: input.thresholds,
    invalidPoints,
    periodRows,
    usageSummary: usageSummary(bandwidth, period),
    invalidSummary: invalidSummary(invalidPoints, sweep?.total ?? null),
    invalid: sweep && {
      count: sweep.invalid,
      total: sweep.total,
      ratio: sweep.invalid_ratio,
      byCountry: Object.entries(sweep.by_country)
        .map(([country, cell]) => ({ country, ...cell }))
        .sort((a, b) => b.invalid - a.invalid || b.total - a.total),
    },
    quotas: latest?.quotas ?? null,
    subusers: [...(latest?.subusers ?? [])]
      .sort((a, b) => (b.usage_percent ?? -1) - (a.usage_percent ?? -1) || b.proxy_usage - a.proxy_usage)
      .map((s) => ({ ...s, limitBytes: s.proxy_limit_gb > 0 ? subUserLimitBytes(s) : null })),
    errors: latest?.errors ?? [],
    alerts: input.alerts,
    notifications: groupNotifications(input.alerts?.recent ?? []),
    remediation: state.remediation_log ?? [],
    replacements: state.remediation?.recent ?? [],
    warnings: input.warnings ?? [],
  };
}

function usageSummary(bandwidth: DashboardView['bandwidth'], period: DashboardView['period']): string {
  const span = period.known
    ? `the billing period ${formatDay(period.startMs)} to ${formatDay(period.endMs)}`
    : 'the last 30 days';
  if (!bandwidth) return `Bandwidth over ${span}: no figures yet.`;
  const used = `${formatBytes(bandwidth.usedBytes)}${bandwidth.percent === null ? '' : ` (${formatPercent(bandwidth.percent)} of ${formatBytes(bandwidth.limitBytes)})`}`;
  const projected =
    bandwidth.projectedBytes === null
      ? ''
      : ` Projected by the end: ${formatBytes(bandwidth.projectedBytes)}${bandwidth.projectedPercent === null ? '' : ` (${formatPercent(bandwidth.projectedPercent)})`}.`;
  return `Bandwidth over ${span}: ${used} used so far.${projected}`;
}

function invalidSummary(points: Point[], total: number | null): string {
  const last = points.at(-1);
  if (!last) return 'Invalid proxies: no finished sweep in this period yet.';
  const peak = Math.max(...points.map((p) => p.v));
  return `Invalid proxies this period: ${last.v}${total === null ? '' : ` of ${total}`} now, at most ${peak}.`;
}
