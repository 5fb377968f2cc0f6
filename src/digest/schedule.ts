/**
 * When a digest is due and which period it covers. Pure. A period has one scheduled moment (Monday
 * 09:00 UTC of ISO week 2026-W49, or 07:00 UTC of a day); the first tick at or after it sends the
 * digest, unless that period was already sent or the moment is more than DIGEST_LATE_LIMIT_MS ago
 * (a cron that was down for a day sends no stale digest; the next period's comes as usual).
 */
import type { DigestConfig } from '../config/digest';
import { WEEKDAYS } from '../config/weekdays';

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 24 * MS_PER_HOUR;
/** A digest whose moment is older than this is skipped, not sent late. */
export const DIGEST_LATE_LIMIT_MS = 12 * MS_PER_HOUR;

export interface DigestPeriod {
  /** `2026-W49` (weekly) or `2026-12-01` (daily). */
  id: string;
  schedule: 'daily' | 'weekly';
  /** The scheduled moment (ms). */
  dueMs: number;
  /** The span the digest looks back over: the week or the day before the moment. */
  fromMs: number;
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

/** Monday 00:00 UTC of the ISO week containing `ms`. */
export function startOfIsoWeek(ms: number): number {
  const day = startOfUtcDay(ms);
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  return day - weekday * MS_PER_DAY;
}

/** ISO 8601 week id, e.g. `2026-W49` (the year is the week's Thursday's). */
export function isoWeekId(ms: number): string {
  const thursday = startOfIsoWeek(ms) + 3 * MS_PER_DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * MS_PER_DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function periodAt(config: DigestConfig, anchorMs: number): DigestPeriod | null {
  if (config.schedule === 'weekly') {
    const week = startOfIsoWeek(anchorMs);
    const dueMs = week + WEEKDAYS.indexOf(config.day) * MS_PER_DAY + config.hour_utc * MS_PER_HOUR;
    return { id: isoWeekId(week), schedule: 'weekly', dueMs, fromMs: dueMs - 7 * MS_PER_DAY };
  }
  if (config.schedule === 'daily') {
    const day = startOfUtcDay(anchorMs);
    const dueMs = day + config.hour_utc * MS_PER_HOUR;
    const id = new Date(day).toISOString().slice(0, 10);
    return { id, schedule: 'daily', dueMs, fromMs: dueMs - MS_PER_DAY };
  }
  return null;
}

/**
 * The period whose digest this tick should send, or null: off, not yet time, already sent, or too late.
 * The candidate is the latest moment at or before now (this period's or, just after a boundary, the last one's).
 */
export function dueDigest(
  config: DigestConfig,
  lastSentPeriod: string | null,
  nowMs: number,
): DigestPeriod | null {
  const span = config.schedule === 'weekly' ? 7 * MS_PER_DAY : MS_PER_DAY;
  const candidates = [periodAt(config, nowMs), periodAt(config, nowMs - span)];
  const period = candidates.find((p) => p !== null && p.dueMs <= nowMs) ?? null;
  if (!period || period.id === lastSentPeriod) return null;
  return nowMs - period.dueMs < DIGEST_LATE_LIMIT_MS ? period : null;
}
