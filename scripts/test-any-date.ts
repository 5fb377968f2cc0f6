/**
 * `npm run test:any-date`: the workerd suite with its clock moved away from today (30 days and 400
 * days ahead, 30 days behind), proving that no test depends on the calendar. The clock is the
 * suite's own (test/helpers/clock.ts, set by TEST_CLOCK_OFFSET_DAYS): a process-level clock shift
 * (faketime) stops workerd from serving at all.
 *
 *   npm run test:any-date                      # +30, +400 and -30 days
 *   TEST_CLOCK_OFFSETS_DAYS=-400,7 npm run test:any-date
 *   npm run test:any-date -- test/cycle        # extra arguments go to vitest
 */
import { spawnSync } from 'node:child_process';

const DEFAULT_OFFSETS_DAYS = [30, 400, -30];

function offsets(): number[] {
  const text = process.env.TEST_CLOCK_OFFSETS_DAYS;
  if (!text) return DEFAULT_OFFSETS_DAYS;
  const days = text.split(',').map((part) => Number(part.trim()));
  if (days.length === 0 || days.some((d) => !Number.isFinite(d))) {
    console.error(
      `TEST_CLOCK_OFFSETS_DAYS must be days separated by commas, like "30,400,-30"; got "${text}"`,
    );
    process.exit(2);
  }
  return days;
}

const results: { days: number; ok: boolean }[] = [];
for (const days of offsets()) {
  const shown = `${days >= 0 ? '+' : ''}${days} d`;
  console.log(`\n== the suite with its clock at ${shown} (TEST_CLOCK_OFFSET_DAYS=${days})`);
  const run = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TEST_CLOCK_OFFSET_DAYS: String(days) },
  });
  results.push({ days, ok: run.status === 0 });
}

console.log('');
for (const { days, ok } of results) {
  console.log(`test:any-date clock ${days >= 0 ? '+' : ''}${days} d: ${ok ? 'passed' : 'FAILED'}`);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
