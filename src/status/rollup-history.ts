/**
 * `GET /v1/snapshots?resolution=1h|1d`: the rollups instead of raw snapshots. Daily points come from
 * the poller state alone (one or two reads, however long the range). Hourly points: today's from the
 * state, each earlier day's from its 23:00 bucket (one read per day, never per hour); a day whose
 * bucket is gone gives its one daily point instead.
 */
import * as z from 'zod';
import '../lib/zod-openapi-metadata';
import type { PollerState } from '../model/poller-state';
import type { RollupPoint } from '../model/rollup';
import { dailyPoints } from '../poller/rollup';
import { MAX_BUCKETS_PER_READ, type PollerStore } from '../storage/poller-store';

export type Resolution = '1h' | '1d';

const nullableNumber = z.number().nullable();
export const RollupPointSchema = z
  .object({
    start: z
      .string()
      .openapi({ description: 'Start of the hour or UTC day', example: '2026-12-01T00:00:00.000Z' }),
    taken_at: z.string().openapi({ description: 'The last tick counted in the interval' }),
    ticks: z.number(),
    bandwidth_used: nullableNumber,
    bandwidth_limit: nullableNumber,
    bandwidth_projected: nullableNumber,
    requests_total: nullableNumber,
    requests_failed: nullableNumber,
    proxies_total: nullableNumber,
    invalid: nullableNumber,
    invalid_max: nullableNumber,
    alerts: z.array(z.string()),
    replaced: z.number(),
    refreshed: z.number(),
    remediation_skipped: z.number(),
  })
  .openapi('RollupPoint');

function within(point: RollupPoint, sinceMs: number, untilMs: number): boolean {
  const start = Date.parse(point.start);
  return start <= untilMs && Date.parse(point.taken_at) >= sinceMs;
}

/**
 * Points overlapping `since..until`, newest first, at most `limit`. Hourly points read at most
 * MAX_BUCKETS_PER_READ days, and none whose bucket retention has removed (`retentionStartMs`): such
 * a day gives its daily point without a read.
 */
export async function readRollupHistory(
  store: PollerStore,
  state: PollerState,
  options: {
    sinceMs: number;
    untilMs: number;
    limit: number;
    resolution: Resolution;
    retentionStartMs: number;
  },
): Promise<RollupPoint[]> {
  const { sinceMs, untilMs, limit } = options;
  const days = dailyPoints(state.rollups).filter((p) => within(p, sinceMs, untilMs));
  if (options.resolution === '1d') return days.reverse().slice(0, limit);

  const out: RollupPoint[] = [];
  const today = state.rollups?.day ?? '';
  let reads = 0;
  for (const day of days.reverse()) {
    if (out.length >= limit) break;
    const date = day.start.slice(0, 10);
    // The day's 23:00 bucket, where its hours are, expires with the retention after that hour.
    const readable =
      Date.parse(`${date}T23:00:00Z`) >= options.retentionStartMs && reads < MAX_BUCKETS_PER_READ;
    if (date !== today && readable) reads++;
    const hours =
      date === today ? (state.rollups?.hours ?? []) : readable ? await store.readDayHours(date) : null;
    const points = hours ? [...hours].reverse().filter((p) => within(p, sinceMs, untilMs)) : [day];
    out.push(...points.slice(0, limit - out.length));
  }
  return out;
}
