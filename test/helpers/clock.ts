/**
 * The suite's clock: the one way a test sets "now".
 *
 * Tests and the Worker share one isolate (its routes, its cron handler, its Durable Objects), so the
 * clock is this isolate's `Date`: replaced once, it is what the Worker's code, the tests and the
 * platforms' own libraries (stripe, standardwebhooks) all read. It runs at the real clock's pace
 * from wherever it was set, so retries, leases and elapsed-time checks behave as in production.
 *
 * `TEST_CLOCK_OFFSET_DAYS` (read by vitest.config.ts) moves the whole suite away from today, which is
 * how `npm run test:any-date` proves that no test depends on the calendar. Fixture times come from
 * `hoursAhead()` (derived from this clock, never a fixed date); a test that needs a calendar date (a
 * month boundary, a UTC midnight) sets it with `setNow()`, and each test starts back at the suite's
 * offset.
 *
 * Two things live outside the isolate and keep the real clock: KV's `expirationTtl` is relative, so
 * it needs nothing; Durable Object alarms are absolute, so `setAlarm`/`getAlarm` are translated
 * between this clock and the real one (an alarm 24 h ahead of this clock fires 24 h from now, not at
 * once because this clock runs 30 days behind).
 */
import { runInDurableObject } from 'cloudflare:test';

export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

const RealDate = Date;
const originalNow = Date.now;
const realNow = (): number => originalNow.call(RealDate);

/** This clock minus the real one. */
let shiftMs = 0;
/** The shift each test starts from: the suite's TEST_CLOCK_OFFSET_DAYS. */
let baseShiftMs = 0;

function clockNow(): number {
  return realNow() + shiftMs;
}

/**
 * `Date` with this clock behind `Date.now()`, `new Date()` and `Date()`; every other use (parsing,
 * `Date.UTC`, `instanceof`, the prototype) is the real `Date`'s.
 */
const ShiftedDate: DateConstructor = new Proxy(RealDate, {
  construct(target, args: unknown[], newTarget): object {
    const value = args.length === 0 ? [clockNow()] : args;
    return Reflect.construct(target, value, newTarget === ShiftedDate ? target : newTarget) as object;
  },
  apply() {
    return new RealDate(clockNow()).toString();
  },
  get(target, property, receiver) {
    if (property === 'now') return clockNow;
    return Reflect.get(target, property, receiver) as unknown;
  },
});

let installed = false;

/** Replaces this isolate's `Date` (once) and starts every test at `offsetDays` from today. */
export function installTestClock(offsetDays: number): void {
  baseShiftMs = Math.round(offsetDays * MS_PER_DAY);
  shiftMs = baseShiftMs;
  if (installed) return;
  installed = true;
  globalThis.Date = ShiftedDate;
}

/** Back to the suite's offset from today (run before each test). */
export function resetTestClock(): void {
  shiftMs = baseShiftMs;
}

/** "Now" for the test and the Worker alike. */
export function testNow(): number {
  return clockNow();
}

/** Makes it `ms` now, for the Worker and the test; the clock runs on from there. */
export function setNow(ms: number): void {
  if (!Number.isFinite(ms)) throw new Error(`setNow: not a time: ${ms}`);
  shiftMs = ms - realNow();
}

/**
 * A whole hour at least `hours` ahead of now: the anchor for a run of cron ticks. Far enough ahead
 * that the ticks (scheduled then) all run "early", so each runs at exactly its scheduledTime
 * (src/scheduled.ts), and on a whole hour so the hour buckets a test reads are predictable.
 */
export function hoursAhead(hours = 1): number {
  return (Math.floor(clockNow() / MS_PER_HOUR) + hours + 1) * MS_PER_HOUR;
}

/** The next `hh:mm` UTC, at least a day ahead: for a test that needs a time of day, not a date. */
export function nextUtcTimeOfDay(hours: number, minutes = 0): number {
  const dayStart = Math.floor(clockNow() / MS_PER_DAY) * MS_PER_DAY;
  return dayStart + MS_PER_DAY + hours * MS_PER_HOUR + minutes * 60_000;
}

/** The next UTC day that is `weekday` (0 = Sunday … 6 = Saturday), at least a day ahead, at 00:00. */
export function nextUtcWeekday(weekday: number): number {
  const dayStart = Math.floor(clockNow() / MS_PER_DAY) * MS_PER_DAY + MS_PER_DAY;
  const today = new RealDate(dayStart).getUTCDay();
  return dayStart + ((weekday - today + 7) % 7) * MS_PER_DAY;
}

type AlarmTime = number | Date;
interface AlarmStorage {
  setAlarm(scheduledTime: AlarmTime, options?: unknown): Promise<void>;
  getAlarm(options?: unknown): Promise<number | null>;
}

let alarmsTranslated = false;

/**
 * Durable Object alarms are kept by the runtime on the real clock: an alarm set from this clock is
 * moved to the same distance from the real now, and read back the other way.
 */
export async function translateAlarms(stub: DurableObjectStub): Promise<void> {
  if (alarmsTranslated) return;
  const proto = await runInDurableObject(
    stub,
    (_instance, state) => Object.getPrototypeOf(state.storage) as AlarmStorage,
  );
  if (alarmsTranslated) return;
  alarmsTranslated = true;
  const setAlarm = proto.setAlarm;
  const getAlarm = proto.getAlarm;
  proto.setAlarm = function (this: AlarmStorage, scheduledTime: AlarmTime, options?: unknown) {
    const ms = typeof scheduledTime === 'number' ? scheduledTime : scheduledTime.getTime();
    return setAlarm.call(this, ms - shiftMs, options);
  };
  proto.getAlarm = async function (this: AlarmStorage, options?: unknown) {
    const real = await getAlarm.call(this, options);
    return real === null ? null : real + shiftMs;
  };
}
