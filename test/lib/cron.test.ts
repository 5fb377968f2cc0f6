import { describe, expect, it } from 'vitest';
import { cronIntervalMinutes, nextCronRunMs } from '../../src/lib/cron';

const at = (iso: string) => Date.parse(iso);

describe('nextCronRunMs', () => {
  // Pure: fixed instants in, fixed instants out (no clock involved).
  it.each([
    ['*/5 * * * *', '2026-03-01T10:02:13.000Z', '2026-03-01T10:05:00.000Z'],
    ['*/5 * * * *', '2026-03-01T10:05:00.000Z', '2026-03-01T10:10:00.000Z'],
    ['*/5 * * * *', '2026-03-01T10:04:59.999Z', '2026-03-01T10:05:00.000Z'],
    ['*/5 * * * *', '2026-03-01T23:57:00.000Z', '2026-03-02T00:00:00.000Z'],
    ['*/5 * * * *', '2026-12-31T23:59:30.000Z', '2027-01-01T00:00:00.000Z'],
    ['*/15 * * * *', '2026-03-01T10:16:00.000Z', '2026-03-01T10:30:00.000Z'],
    ['*/30 * * * *', '2026-03-01T10:45:00.000Z', '2026-03-01T11:00:00.000Z'],
    ['* * * * *', '2026-03-01T10:02:13.000Z', '2026-03-01T10:03:00.000Z'],
    ['  */2  *  *  *  *  ', '2026-03-01T10:03:00.000Z', '2026-03-01T10:04:00.000Z'],
  ])('runs %s next after %s at %s', (expression, after, next) => {
    expect(new Date(nextCronRunMs(expression, at(after))!).toISOString()).toBe(next);
  });

  it.each([
    ['*/7 * * * *', 'a step that does not divide the hour'],
    ['0 * * * *', 'a fixed minute'],
    ['*/5 9-17 * * *', 'a range of hours'],
    ['*/5 * * * 1-5', 'weekdays only'],
    ['*/0 * * * *', 'a zero step'],
    ['*/5 * * *', 'four fields'],
    ['', 'an empty expression'],
  ])('answers null for %s (%s) rather than a wrong time', (expression) => {
    expect(nextCronRunMs(expression, at('2026-03-01T10:02:13Z'))).toBeNull();
    expect(cronIntervalMinutes(expression)).toBeNull();
  });
});
