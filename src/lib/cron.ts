/**
 * When a cron trigger fires next, for the one shape this worker uses: every N minutes (`*\/N * * * *`,
 * N dividing 60, or `* * * * *`). Cloudflare runs such a trigger at each whole multiple of N minutes
 * past the hour, UTC. Anything else answers null: the caller then says nothing about the next run
 * rather than something wrong.
 */

const MS_PER_MINUTE = 60_000;

/** The minutes between runs of an every-N-minutes expression, or null for any other expression. */
export function cronIntervalMinutes(expression: string): number | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 || fields.slice(1).some((field) => field !== '*')) return null;
  if (fields[0] === '*') return 1;
  const step = /^\*\/(\d{1,2})$/.exec(fields[0]!)?.[1];
  const minutes = Number(step);
  // `*/7` fires at :00, :07 … :56 and again at :00: not every 7 minutes, so not this shape.
  return step !== undefined && minutes >= 1 && 60 % minutes === 0 ? minutes : null;
}

/** The first run strictly after `afterMs` (ms since the epoch), or null for an unsupported expression. */
export function nextCronRunMs(expression: string, afterMs: number): number | null {
  const minutes = cronIntervalMinutes(expression);
  if (minutes === null) return null;
  const intervalMs = minutes * MS_PER_MINUTE;
  // Whole minutes are whole intervals from the epoch too (N divides 60, and an hour divides a day).
  return (Math.floor(afterMs / intervalMs) + 1) * intervalMs;
}
