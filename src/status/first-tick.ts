/**
 * What to say before any tick is stored (a fresh deployment): that the worker is waiting for its first
 * tick, when the cron runs it, and how to run one now. Shared by `GET /v1/status` and the dashboard.
 *
 * "First" as readers can see it: they look at the last two hours of history only (storage/poller-store),
 * so a cron stopped for longer than that reads the same way; `/healthz` says `no_recent_tick` in both.
 */
import { nextTickDueMs } from '../cycle/schedule';

/** How to run a tick at once, for API clients (the dashboard's admin session also has a button). */
export const RUN_TICK_NOW = 'POST /v1/poll with the admin token';

export interface FirstTickWait {
  waiting_for_first_tick: true;
  /** ISO 8601; null when the cron expression is not one whose next run is computed here. */
  next_tick_due_at: string | null;
  run_now: string;
}

export function firstTickWait(nowMs: number): FirstTickWait {
  const dueMs = nextTickDueMs(nowMs);
  return {
    waiting_for_first_tick: true,
    next_tick_due_at: dueMs === null ? null : new Date(dueMs).toISOString(),
    run_now: RUN_TICK_NOW,
  };
}
