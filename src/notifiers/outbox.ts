/**
 * The outbox and delivery log: notifications not yet delivered (retried on following ticks until
 * delivered or expired), the last deliveries with their outcome, and the undeliverable ones (a 4xx
 * that will never succeed) for /v1/status. Pure operations on a plain object; the engine keeps one
 * inside its state document, and `notifyAll` keeps one in `alerts:outbox`.
 */
import type { Channel, Notification } from '../model/notification';
import { ALERT_OUTBOX_LIMIT, ALERT_RECENT_LIMIT, ALERT_UNDELIVERABLE_LIMIT } from '../storage/keys';
import type { DeliveryJob, DeliveryResult } from './deliver';

export interface OutboxItem extends DeliveryJob {
  createdAt: number;
  expiresAt: number;
  notBeforeMs: number;
  lastStatus: number | null;
  lastError: string | null;
  /** Ticks on which every attempt failed; spaces the next tick's retry out (see retryDelayMs). */
  failedTicks?: number;
}

const TICK_MS = 5 * 60_000;
/** A resolution's text kept per delivery record: one or two sentences; the log lives in KV. */
const RESOLUTION_CHARS_KEPT = 240;

/**
 * How long a notification that failed on `failedTicks` ticks waits before the next tick tries again:
 * the next tick, then 2, 4, 8 ticks, at most an hour. A day-long outage of a channel then costs
 * about 30 state writes instead of one per tick (the Free plan allows 1,000 KV writes a day).
 */
export function retryDelayMs(failedTicks: number): number {
  return Math.min(60 * 60_000, TICK_MS * 2 ** Math.max(0, failedTicks - 1)) - 60_000;
}

export type DeliveryOutcome = 'delivered' | 'queued' | 'undeliverable' | 'expired' | 'dropped';

export interface DeliveryRecord {
  deliveryId: string;
  id: string;
  channel: Channel;
  event: Notification['event'];
  key: string | null;
  title: string;
  /**
   * A resolution's own words ("Bandwidth is back to 2% of 50 GB."): its title is the firing one, so
   * without them a list of deliveries shows a resolution as the alert it ends. Only on alert.resolved.
   */
  resolution?: string;
  outcome: DeliveryOutcome;
  status: number | null;
  error: string | null;
  attempts: number;
  at: string;
}

export interface DeliveryLog {
  outbox: OutboxItem[];
  recent: DeliveryRecord[];
  undeliverable: DeliveryRecord[];
}

export function emptyDeliveryLog(): DeliveryLog {
  return { outbox: [], recent: [], undeliverable: [] };
}

export function deliveryId(notificationId: string, channel: Channel): string {
  return `${notificationId}:${channel}`;
}

/** Splits the outbox into expired items, items due now, and items that wait (kept as they are). */
export function partitionOutbox(
  log: DeliveryLog,
  nowMs: number,
): { expired: OutboxItem[]; due: OutboxItem[]; waiting: OutboxItem[] } {
  const expired: OutboxItem[] = [];
  const due: OutboxItem[] = [];
  const waiting: OutboxItem[] = [];
  for (const item of [...log.outbox].sort((a, b) => a.createdAt - b.createdAt)) {
    if (item.expiresAt <= nowMs) expired.push(item);
    else if (item.notBeforeMs <= nowMs) due.push(item);
    else waiting.push(item);
  }
  return { expired, due, waiting };
}

function record(
  item: DeliveryJob,
  outcome: DeliveryOutcome,
  nowMs: number,
  status: number | null,
  error: string | null,
  attempts: number,
): DeliveryRecord {
  return {
    deliveryId: item.deliveryId,
    id: item.notification.id,
    channel: item.channel,
    event: item.notification.event,
    key: item.notification.alert?.key ?? null,
    title: item.notification.title,
    ...(item.notification.event === 'alert.resolved'
      ? { resolution: item.notification.summary.slice(0, RESOLUTION_CHARS_KEPT) }
      : {}),
    outcome,
    status,
    error,
    attempts,
    at: new Date(nowMs).toISOString(),
  };
}

function pushCapped<T>(list: T[], items: T[], limit: number): T[] {
  return [...list, ...items].slice(-limit);
}

/**
 * Folds one tick's results into the log. `jobs[i]` produced `results[i]`; items of `waiting` stay
 * queued untouched; `expired` are dropped and recorded.
 */
export function applyResults(
  log: DeliveryLog,
  input: {
    jobs: (DeliveryJob & { createdAt?: number; expiresAt?: number })[];
    results: DeliveryResult[];
    waiting: OutboxItem[];
    expired: OutboxItem[];
    nowMs: number;
    ttlMs: number;
  },
): { log: DeliveryLog; dropped: number } {
  const { nowMs } = input;
  const outbox: OutboxItem[] = [...input.waiting];
  const recent: DeliveryRecord[] = [];
  const undeliverable: DeliveryRecord[] = [];
  for (const item of input.expired) {
    recent.push(record(item, 'expired', nowMs, item.lastStatus, item.lastError, item.attempts));
  }
  input.jobs.forEach((job, index) => {
    const result = input.results[index];
    if (result) foldResult(job, result, { outbox, recent, undeliverable }, nowMs, input.ttlMs);
  });
  outbox.sort((a, b) => a.createdAt - b.createdAt);
  let dropped = 0;
  while (outbox.length > ALERT_OUTBOX_LIMIT) {
    const item = outbox.shift() as OutboxItem;
    recent.push(record(item, 'dropped', nowMs, item.lastStatus, 'outbox full', item.attempts));
    dropped++;
  }
  return {
    log: {
      outbox,
      recent: pushCapped(log.recent, recent, ALERT_RECENT_LIMIT),
      undeliverable: pushCapped(log.undeliverable, undeliverable, ALERT_UNDELIVERABLE_LIMIT),
    },
    dropped,
  };
}

/** Where one job's result goes: the recent list, the undeliverable list, or back into the outbox. */
function foldResult(
  job: DeliveryJob & { createdAt?: number; expiresAt?: number },
  result: DeliveryResult,
  into: { outbox: OutboxItem[]; recent: DeliveryRecord[]; undeliverable: DeliveryRecord[] },
  nowMs: number,
  ttlMs: number,
): void {
  const { outbox, recent, undeliverable } = into;
  const createdAt = job.createdAt ?? nowMs;
  const expiresAt = job.expiresAt ?? nowMs + ttlMs;
  const previous = job as Partial<OutboxItem>;
  switch (result.outcome) {
    case 'delivered':
      recent.push(record(job, 'delivered', nowMs, result.status, null, result.attempts));
      break;
    case 'undeliverable': {
      const entry = record(job, 'undeliverable', nowMs, result.status, result.error, result.attempts);
      recent.push(entry);
      undeliverable.push(entry);
      break;
    }
    case 'retry': {
      const failedTicks = (previous.failedTicks ?? 0) + 1;
      outbox.push({
        ...stripItem(job),
        attempts: result.attempts,
        createdAt,
        expiresAt,
        notBeforeMs: Math.max(result.notBeforeMs, nowMs + retryDelayMs(failedTicks)),
        lastStatus: result.status,
        lastError: result.error,
        failedTicks,
      });
      // Record the first failure only, so a long outage does not flood the recent list.
      if (job.attempts === 0)
        recent.push(record(job, 'queued', nowMs, result.status, result.error, result.attempts));
      break;
    }
    case 'deferred':
      outbox.push({
        ...stripItem(job),
        attempts: result.attempts,
        createdAt,
        expiresAt,
        notBeforeMs: previous.notBeforeMs ?? nowMs,
        lastStatus: previous.lastStatus ?? null,
        lastError: previous.lastError ?? result.reason,
        ...(previous.failedTicks ? { failedTicks: previous.failedTicks } : {}),
      });
      break;
  }
}

function stripItem(job: DeliveryJob): DeliveryJob {
  return {
    deliveryId: job.deliveryId,
    channel: job.channel,
    notification: job.notification,
    attempts: job.attempts,
  };
}
