/**
 * Poller storage on KV, designed for the Free plan's 1,000 writes a day: each tick makes exactly one
 * write, to the current hour's history bucket, which also carries the poller state. A bucket holds
 * that hour's snapshots (12 at the default 5-minute cron) plus the state after its latest tick, so:
 *   - reading state is one read (two at the top of an hour, when the new bucket does not exist yet);
 *   - reading history is one read per hour of range, never a key listing;
 *   - retention is KV's own `expirationTtl` on each bucket.
 */
import type { RollupPoint } from '../model/rollup';
import { upgradeSnapshot, type Snapshot } from '../model/snapshot';
import {
  POLLER_STATE_VERSION,
  emptyPollerState,
  upgradePollerState,
  type PollerState,
} from '../model/poller-state';
import { KV_PREFIX, SECONDS_PER_DAY } from './keys';

export const MS_PER_HOUR = 3_600_000;
/** Invalid proxies kept per history entry; the latest snapshot keeps more (see webshare/sweep.ts). */
export const HISTORY_INVALID_PROXIES_KEPT = 20;
/** How far back a tick looks for the poller state after the cron was paused (one read per hour, once). */
export const TICK_STATE_LOOKBACK_HOURS = 72;
/**
 * Upper bound on buckets one history read may touch, whatever range is asked for. With the state's
 * one or two reads, a history request reads at most 38 keys: the Free plan's 100,000 reads a day then
 * take over 2,600 requests, not the 135 a walk of a month's hours (745 reads) took. A longer range is
 * read in pages (`nextUntilMs`).
 */
export const MAX_BUCKETS_PER_READ = 36;

export interface HistoryBucket {
  hour: string;
  entries: Snapshot[];
  state: PollerState;
}

/** `history:2026-11-28T15` for the hour containing `ms` (UTC). */
export function bucketKey(ms: number): string {
  return `${KV_PREFIX.history}${new Date(ms).toISOString().slice(0, 13)}`;
}

function hourStart(ms: number): number {
  return Math.floor(ms / MS_PER_HOUR) * MS_PER_HOUR;
}

/** Counts KV operations, so ticks and benches can report what they cost. */
export class KvMeter {
  reads = 0;
  writes = 0;
  /** Bytes of the values read (UTF-16 code units; ours are ASCII): the tick's CPU model prices them. */
  bytesRead = 0;
}

/**
 * The newest successful tick this isolate has written (ms), or null. Readers that memoise an answer
 * per isolate (the public /healthz) use it to drop a memo the tick has made wrong; a tick in another
 * isolate is not seen here, so such memos must still expire.
 */
let newestSuccessWrittenMs: number | null = null;

export function newestSuccessWrittenHere(): number | null {
  return newestSuccessWrittenMs;
}

export class PollerStore {
  constructor(
    private readonly kv: KVNamespace,
    private readonly retentionDays: number,
    readonly meter = new KvMeter(),
  ) {}

  async #readBucket(ms: number): Promise<HistoryBucket | null> {
    this.meter.reads++;
    const text = await this.kv.get(bucketKey(ms), 'text');
    if (text === null) return null;
    this.meter.bytesRead += text.length;
    const bucket = JSON.parse(text) as HistoryBucket | null;
    if (!bucket || bucket.state?.version !== POLLER_STATE_VERSION) return null;
    return { ...bucket, state: upgradePollerState(bucket.state) };
  }

  /**
   * The state after the latest tick, the bucket it lives in when that is the current hour's, and the
   * snapshots of the bucket that was read (oldest first) — recent history at no extra read.
   *
   * The state rides in the newest bucket, which is this hour's or the last one's while the cron runs
   * (one or two reads). After a longer pause it is further back: the tick passes a deeper
   * `lookbackHours` so it resumes where it stopped — sweep cursor, streaks, remediation counters —
   * paying one read per missing hour, once. HTTP readers keep the default and stay cheap.
   */
  async readState(
    nowMs: number,
    options: { lookbackHours?: number } = {},
  ): Promise<{ state: PollerState; bucket: HistoryBucket | null; recent: Snapshot[] }> {
    const current = await this.#readBucket(nowMs);
    if (current) return { state: current.state, bucket: current, recent: current.entries };
    const lookback = Math.max(1, options.lookbackHours ?? 1);
    for (let hoursBack = 1; hoursBack <= lookback; hoursBack++) {
      const older = await this.#readBucket(nowMs - hoursBack * MS_PER_HOUR);
      if (older) return { state: older.state, bucket: null, recent: older.entries };
    }
    return { state: emptyPollerState(), bucket: null, recent: [] };
  }

  /** Appends a snapshot to the current hour's bucket and stores the new state with it: one write. */
  async writeTick(
    nowMs: number,
    bucket: HistoryBucket | null,
    snapshot: Snapshot,
    state: PollerState,
  ): Promise<void> {
    const hour = new Date(hourStart(nowMs)).toISOString().slice(0, 13);
    const entries = (bucket?.hour === hour ? bucket.entries : []).filter(
      (entry) => entry.scheduled_time !== snapshot.scheduled_time,
    );
    entries.push(slimForHistory(snapshot));
    entries.sort((a, b) => a.scheduled_time - b.scheduled_time);
    const next: HistoryBucket = { hour, entries, state };
    this.meter.writes++;
    // The bucket must outlive its hour by the retention period; KV's expirationTtl is relative to now.
    const ttlSeconds =
      Math.ceil((hourStart(nowMs) + MS_PER_HOUR - nowMs) / 1000) + this.retentionDays * SECONDS_PER_DAY;
    await this.kv.put(bucketKey(nowMs), JSON.stringify(next), { expirationTtl: ttlSeconds });
    const successMs = state.last_success_at ? Date.parse(state.last_success_at) : NaN;
    if (successMs > (newestSuccessWrittenMs ?? -Infinity)) newestSuccessWrittenMs = successMs;
  }

  /**
   * The hourly rollup of a finished UTC day (`YYYY-MM-DD`): the state in that day's 23:00 bucket holds
   * all its hours, so a day costs one read. null when that bucket is gone (retention) or was never
   * written (no tick in that hour); the caller falls back to the day's point.
   */
  async readDayHours(day: string): Promise<RollupPoint[] | null> {
    const bucket = await this.#readBucket(Date.parse(`${day}T23:00:00Z`));
    return bucket?.state.rollups?.day === day ? bucket.state.rollups.hours : null;
  }

  /**
   * Snapshots with `since ≤ taken ≤ until`, newest first, at most `limit`. Reads one bucket per hour,
   * newest hour first, and stops as soon as `limit` entries are found. Given the poller's
   * `first_tick_at`, it never reads hours before it: there is no bucket there, and each costs a read.
   * Without it (the state was not found: no tick lately, or ever) only `since` bounds the walk.
   */
  async readHistory(options: HistoryQuery): Promise<Snapshot[]> {
    return (await this.readHistoryPage(options)).snapshots;
  }

  /**
   * As readHistory, reading at most MAX_BUCKETS_PER_READ buckets. `nextUntilMs` is set when the range
   * may hold more than was returned (the limit or the read budget stopped the walk): the `until` of
   * the next page. null when the whole range was read.
   */
  async readHistoryPage(
    options: HistoryQuery,
  ): Promise<{ snapshots: Snapshot[]; nextUntilMs: number | null }> {
    const out: Snapshot[] = [];
    let hour = hourStart(options.untilMs);
    const firstBucketMs = options.firstTickAt ? hourStart(Date.parse(options.firstTickAt)) : -Infinity;
    const oldest = Math.max(hourStart(options.sinceMs), firstBucketMs);
    for (let read = 0; hour >= oldest && read < MAX_BUCKETS_PER_READ && out.length < options.limit; read++) {
      const bucket = await this.#readBucket(hour);
      const entries = (bucket?.entries ?? [])
        .map((entry) => upgradeSnapshot(entry))
        .filter((entry) => {
          const taken = Date.parse(entry.taken_at);
          return taken >= options.sinceMs && taken <= options.untilMs;
        })
        .sort((a, b) => b.scheduled_time - a.scheduled_time);
      const kept = entries.slice(0, options.limit - out.length);
      out.push(...kept);
      if (kept.length < entries.length) {
        // The limit cut this hour: the next page starts just before the oldest snapshot returned.
        return { snapshots: out, nextUntilMs: Date.parse(out.at(-1)!.taken_at) - 1 };
      }
      hour -= MS_PER_HOUR;
    }
    return { snapshots: out, nextUntilMs: hour >= oldest ? hour + MS_PER_HOUR - 1 : null };
  }
}

export interface HistoryQuery {
  sinceMs: number;
  untilMs: number;
  limit: number;
  firstTickAt?: string | null | undefined;
}

/** History entries keep only the most persistent invalid proxies; the full list lives in the latest snapshot. */
function slimForHistory(snapshot: Snapshot): Snapshot {
  if (!snapshot.sweep || snapshot.sweep.invalid_proxies.length <= HISTORY_INVALID_PROXIES_KEPT)
    return snapshot;
  return {
    ...snapshot,
    sweep: {
      ...snapshot.sweep,
      invalid_proxies: snapshot.sweep.invalid_proxies.slice(0, HISTORY_INVALID_PROXIES_KEPT),
    },
  };
}
