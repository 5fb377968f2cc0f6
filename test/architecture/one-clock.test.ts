/**
 * Tests set "now" one way: the suite's clock (test/helpers/clock.ts). Any other clock (vitest's fake
 * timers, a spy on Date.now) would leave the Worker and the platforms' libraries on another time, and
 * a fixed date compared with the real clock is what once made the suite fail once the calendar
 * passed it.
 */
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';

const tests = import.meta.glob<string>(['../**/*.ts', '!../helpers/clock.ts', '!./one-clock.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const OTHER_CLOCKS: [string, RegExp][] = [
  ['vitest fake timers', /\bvi\s*\.\s*(useFakeTimers|setSystemTime)\b/],
  ['a spy on Date', /spyOn\(\s*(globalThis\s*\.\s*)?Date\b/],
  ['a replaced Date', /globalThis\s*\.\s*Date\s*=/],
];

describe('the suite clock', () => {
  it('reads the test files', () => {
    expect(Object.keys(tests).length).toBeGreaterThan(50);
  });

  it.each(OTHER_CLOCKS)('is the only clock: no test uses %s', (_name, pattern) => {
    const offenders = Object.entries(tests)
      .filter(([, text]) => pattern.test(text))
      .map(([path]) => path);
    expect(offenders).toEqual([]);
  });
});
