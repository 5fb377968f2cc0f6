/**
 * Tick cost against account size: for 100 / 1,000 / 10,000 / 100,000 proxies, runs ticks from a fresh
 * install until two full validity sweeps have finished (the first tick of an install and a steady
 * sweep both count) and reports Webshare calls, KV reads and writes per tick, ticks per sweep, the
 * mean and the largest time of a tick, and that time as a ratio to baselines measured in the same run
 * on the very bodies those ticks fetched from Webshare: a plain `JSON.parse` of each, and reading each
 * from a `Response` and parsing it (what any poller built on fetch must do; in Node the read alone
 * costs more than the parse, in workerd it is native).
 *
 * Each size runs on both Webshare dialects: v1 reads every page of the list; v2 asks the list for its
 * size, its invalid proxies (`valid=false`, 100 a page) and the size of each country that has some.
 * BENCH_TICK_SIZES and BENCH_TICK_APIS narrow the run (e.g. `100000` and `v2`).
 */
import { median, reportGoal } from './bench-util';
import { benchCostModel } from './tick-model';
import { measureTicks, type RunResult } from './tick-runner';
import type { WebshareDialect } from '../src/webshare/port';

const SIZES = (process.env.BENCH_TICK_SIZES ?? '100,1000,10000,100000').split(',').map(Number);
const DIALECTS = (process.env.BENCH_TICK_APIS ?? 'v1,v2').split(',') as WebshareDialect[];
/** The Workers Free plan's CPU time per invocation. */
const FREE_PLAN_CPU_MS = 10;
const RUNS = 5;

interface SizeResult {
  size: number;
  dialect: WebshareDialect;
  run: RunResult;
}

const ratio = (r: RunResult) => r.tickMs / Math.max(r.baselineMs, 0.001);

function row(cells: string[]): string {
  return cells.join(' | ');
}

const HEADER = [
  'API',
  'proxies ',
  'ticks/sweep',
  'Webshare calls/tick',
  'KV reads/steady tick',
  'KV writes/tick',
  'largest write KiB',
  'ms/tick',
  'max tick ms',
  'ratio to JSON.parse',
  'ratio to read+parse',
  'ms above JSON.parse',
];

function printRow({ size, dialect, run: r }: SizeResult): void {
  const ticks = r.ticks.length;
  console.log(
    row([
      dialect.padEnd(3),
      String(size).padEnd(8),
      String(r.sweepTicks).padStart(11),
      (r.webshareCalls / ticks).toFixed(1).padStart(19),
      r.kvReads.toFixed(2).padStart(20),
      (r.kvWrites / ticks).toFixed(2).padStart(14),
      (r.largestWrite.length / 1024).toFixed(0).padStart(17),
      (r.tickMs / ticks).toFixed(2).padStart(7),
      r.maxTickMs.toFixed(2).padStart(11),
      `${ratio(r).toFixed(1)}×`.padStart(19),
      `${(r.tickMs / Math.max(r.readParseMs, 0.001)).toFixed(1)}×`.padStart(19),
      ((r.tickMs - r.baselineMs) / ticks).toFixed(2).padStart(19),
    ]),
  );
}

export async function benchTickCost(): Promise<void> {
  console.log(
    '\nTick cost vs account size (ticks every 5 min from a fresh install through 2 full sweeps; budget 50 subrequests; v1 page size 25, v2 page size 100; 5% invalid; defaults: the CPU model sizes each sweep step)',
  );
  console.log(row(HEADER));
  const results: SizeResult[] = [];
  // Warm-up: JIT compilation would otherwise land on the first size measured.
  for (const dialect of DIALECTS) for (let i = 0; i < 3; i++) await measureTicks(1_000, dialect);
  for (const size of SIZES) {
    for (const dialect of DIALECTS) {
      // The median of five runs: one run is at the mercy of GC and of other processes.
      const runs: RunResult[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measureTicks(size, dialect));
      const run = { ...runs.sort((a, b) => ratio(a) - ratio(b))[RUNS >> 1]! };
      // The largest tick is the median of each run's largest, for the same reason.
      run.maxTickMs = median(runs.map((r) => r.maxTickMs));
      results.push({ size, dialect, run });
      printRow({ size, dialect, run });
    }
  }
  reportTickGoals(results);
  if (process.env.BENCH_TICK_SIZES === undefined) await sweepOf100kAt2Percent();
  await benchCostModel();
}

function reportTickGoals(results: SizeResult[]): void {
  const worst = results.reduce((a, b) => (b.run.maxTickMs > a.run.maxTickMs ? b : a), results[0]!);
  reportGoal(
    `no tick over the Free plan's ${FREE_PLAN_CPU_MS} ms at any size`,
    `largest ${worst.run.maxTickMs.toFixed(2)} ms (${worst.dialect}, ${worst.size} proxies)`,
    worst.run.maxTickMs <= FREE_PLAN_CPU_MS,
  );
  for (const { size, dialect, run } of results) {
    if (size === 1_000 || size === 10_000) {
      reportGoal(
        `tick ≤ 2× JSON.parse of the bodies it fetched (${dialect}, ${size} proxies)`,
        `${ratio(run).toFixed(2)}×; ${(run.tickMs / run.readParseMs).toFixed(2)}× reading and parsing them`,
        ratio(run) <= 2,
      );
    }
    if (size === 100) {
      const above = (run.tickMs - run.baselineMs) / run.ticks.length;
      reportGoal(
        `100-proxy tick ≤ 3 ms above its JSON.parse (${dialect})`,
        `${above.toFixed(2)} ms above`,
        above <= 3,
      );
    }
  }
}

async function sweepOf100kAt2Percent(): Promise<void> {
  const v1 = await measureTicks(100_000, 'v1', { invalidShare: 0.02, sweeps: 1 });
  const v2 = await measureTicks(100_000, 'v2', { invalidShare: 0.02, sweeps: 1 });
  console.log('\nOne complete validity sweep of 100,000 proxies with 2% invalid (defaults):');
  for (const [name, r] of [
    ['v1', v1],
    ['v2', v2],
  ] as const) {
    console.log(
      `  ${name}: ${r.sweepTicks} tick${r.sweepTicks === 1 ? '' : 's'} (${((r.sweepTicks * 5) / 60).toFixed(1)} h at */5), ${(r.webshareCalls / r.ticks.length).toFixed(1)} Webshare calls a tick`,
    );
  }
}
