/**
 * Folds each tick's snapshot into the hourly and daily rollups the poller state carries. Pure: the
 * rollups ride in the tick's one KV write. The first tick of a new UTC day folds the finished day's
 * hours into one day point; a day point is that day's last hour, with the maxima and sums of all.
 */
import type { RemediationRecord } from '../model/remediation';
import type { RemediationLogEntry, RollupPoint, Rollups } from '../model/rollup';
import { emptyRollups } from '../model/rollup';
import type { Snapshot } from '../model/snapshot';

/** Finished days kept: a billing period (≤ 31 days) plus the tail of the one before, for the digest. */
export const DAY_ROLLUPS_KEPT = 40;
/** Alert keys one rollup point remembers (a reseller account may fire one per sub-user). */
export const ROLLUP_ALERT_KEYS_KEPT = 20;
/** Remediation entries the poller state keeps for the dashboard's table. */
export const REMEDIATION_LOG_KEPT = 20;

const REPLACED = new Set(['replaced', 'already_replaced']);

export function utcDay(iso: string): string {
  return iso.slice(0, 10);
}

function hourStart(iso: string): string {
  return `${iso.slice(0, 13)}:00:00.000Z`;
}

function dayStart(day: string): string {
  return `${day}T00:00:00.000Z`;
}

function countOutcomes(record: RemediationRecord | null | undefined) {
  const entries = record?.entries ?? [];
  return {
    replaced: entries.filter((e) => REPLACED.has(e.outcome)).length,
    refreshed: entries.filter((e) => e.outcome === 'refreshed').length,
    skipped: entries.filter((e) => e.outcome === 'skipped').length,
  };
}

function mergeAlerts(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort().slice(0, ROLLUP_ALERT_KEYS_KEPT);
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Adds one snapshot to the point of its interval; a failed source keeps the figure it had. */
export function addToPoint(
  point: RollupPoint | null,
  start: string,
  snapshot: Snapshot,
  firing: readonly string[],
): RollupPoint {
  const { stats, sweep } = snapshot;
  const outcomes = countOutcomes(snapshot.remediation);
  return {
    start,
    taken_at: snapshot.taken_at,
    ticks: (point?.ticks ?? 0) + 1,
    bandwidth_used: stats?.bandwidth_used ?? point?.bandwidth_used ?? null,
    bandwidth_limit: stats?.bandwidth_limit ?? point?.bandwidth_limit ?? null,
    bandwidth_projected: stats ? stats.bandwidth_projected : (point?.bandwidth_projected ?? null),
    requests_total: stats?.requests_total ?? point?.requests_total ?? null,
    requests_failed: stats?.requests_failed ?? point?.requests_failed ?? null,
    proxies_total: sweep?.total ?? point?.proxies_total ?? null,
    invalid: sweep?.invalid ?? point?.invalid ?? null,
    invalid_max: maxOf(point?.invalid_max ?? null, sweep?.invalid ?? null),
    alerts: mergeAlerts(point?.alerts ?? [], firing),
    replaced: (point?.replaced ?? 0) + outcomes.replaced,
    refreshed: (point?.refreshed ?? 0) + outcomes.refreshed,
    remediation_skipped: (point?.remediation_skipped ?? 0) + outcomes.skipped,
  };
}

/** One point for a whole day: its last hour's figures, with the maxima and sums of all its hours. */
export function foldDay(day: string, hours: readonly RollupPoint[]): RollupPoint | null {
  const last = hours.at(-1);
  if (!last) return null;
  return {
    ...last,
    start: dayStart(day),
    ticks: hours.reduce((sum, h) => sum + h.ticks, 0),
    invalid_max: hours.reduce<number | null>((max, h) => maxOf(max, h.invalid_max), null),
    alerts: hours.reduce<string[]>((all, h) => mergeAlerts(all, h.alerts), []),
    replaced: hours.reduce((sum, h) => sum + h.replaced, 0),
    refreshed: hours.reduce((sum, h) => sum + h.refreshed, 0),
    remediation_skipped: hours.reduce((sum, h) => sum + h.remediation_skipped, 0),
  };
}

/**
 * The rollups after `snapshot`. A tick on a new UTC day first folds the previous day's hours into a
 * day point. A tick older than the current day (a late delivery) is not counted: the day is closed.
 */
export function rollTick(
  previous: Rollups | undefined,
  snapshot: Snapshot,
  firing: readonly string[] = [],
): Rollups {
  const rollups = previous ?? emptyRollups();
  const day = utcDay(snapshot.taken_at);
  if (rollups.day !== '' && day < rollups.day) return rollups;
  let { hours, days } = rollups;
  if (rollups.day !== day) {
    const folded = foldDay(rollups.day, hours);
    days = folded ? [...days, folded].slice(-DAY_ROLLUPS_KEPT) : days;
    hours = [];
  }
  const start = hourStart(snapshot.taken_at);
  const current = hours.at(-1)?.start === start ? hours.at(-1)! : null;
  const point = addToPoint(current, start, snapshot, firing);
  return { day, hours: current ? [...hours.slice(0, -1), point] : [...hours, point], days };
}

/** The finished days, then today folded so far: one point per day, oldest first. */
export function dailyPoints(rollups: Rollups | undefined): RollupPoint[] {
  if (!rollups) return [];
  const today = foldDay(rollups.day, rollups.hours);
  return today ? [...rollups.days, today] : [...rollups.days];
}

/** The remediation log after a tick: its entries first (newest first), bounded. */
export function logRemediation(
  previous: readonly RemediationLogEntry[] | undefined,
  snapshot: Snapshot,
): RemediationLogEntry[] {
  const record = snapshot.remediation;
  const added = (record?.entries ?? []).map((entry): RemediationLogEntry => ({
    at: snapshot.taken_at,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome,
    detail: entry.detail,
    mode: record!.mode,
  }));
  return [...added.reverse(), ...(previous ?? [])].slice(0, REMEDIATION_LOG_KEPT);
}
