/**
 * The cron that runs the tick. wrangler.toml's `[triggers] crons` is the source of truth for
 * Cloudflare; the worker cannot read it at run time, so it is repeated here, and
 * test/cycle/schedule.test.ts fails when the two differ.
 */
import { nextCronRunMs } from '../lib/cron';

/** `[triggers] crons` in wrangler.toml. */
export const TICK_CRON = '*/5 * * * *';

/** When the next cron tick is due after `nowMs`, or null if TICK_CRON is a shape nextCronRunMs cannot read. */
export function nextTickDueMs(nowMs: number): number | null {
  return nextCronRunMs(TICK_CRON, nowMs);
}
