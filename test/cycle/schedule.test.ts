/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import wranglerToml from '../../wrangler.toml?raw';
import { TICK_CRON, nextTickDueMs } from '../../src/cycle/schedule';
import { testNow } from '../helpers/clock';

describe('the tick schedule', () => {
  it('is the cron wrangler.toml triggers', () => {
    const crons = /^crons\s*=\s*\[([^\]]*)\]/m.exec(wranglerToml)?.[1];
    expect(crons).toBeDefined();
    expect([...crons!.matchAll(/"([^"]*)"/g)].map((m) => m[1])).toEqual([TICK_CRON]);
  });

  it('is one whose next run the worker can compute', () => {
    const now = testNow();
    const due = nextTickDueMs(now)!;
    expect(due).toBeGreaterThan(now);
    expect(due - now).toBeLessThanOrEqual(5 * 60_000);
    expect(due % (5 * 60_000)).toBe(0);
  });
});
