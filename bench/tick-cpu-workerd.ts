/**
 * `BENCH_ONLY=tick-workerd`: the tick's CPU time in workerd (bench/tick-workerd.ts runs it) for each
 * account size and Webshare dialect, the cold tick on a fresh isolate, and the CPU model's figures
 * (src/poller/cpu-budget.ts) measured in workerd beside the ones in use. Ends with one
 * `tick-cpu-workerd …` line per dialect and size and one `tick-cpu-workerd-cold …` line per dialect,
 * which `npm run bench` repeats at its end.
 */
import { printModelFigures, type ModelFigure } from './model-figures';
import { median, reportGoal, reportLine } from './bench-util';
import {
  COLD_PROXIES,
  TICK_DIALECTS,
  TICK_SIZES,
  measureColdTick,
  measureWarmTicks,
  withTickBench,
  type WarmTicks,
  type WorkerdBuild,
} from './tick-workerd';
import { TICK_CPU_MODEL } from '../src/poller/cpu-budget';
import { V1_LIST_REQUEST_CPU_MS } from '../src/webshare/v1/traits';
import { V2_LIST_REQUEST_CPU_MS } from '../src/webshare/v2/traits';
import type { WebshareDialect } from '../src/webshare/port';

/** The Workers Free plan's CPU time per invocation. */
const FREE_PLAN_CPU_MS = 10;
/** Issue 25: a median tick at 1,000 and 10,000 proxies within 2× reading and parsing its bodies. */
const READ_PARSE_RATIO_GOAL = 2;
/** Issue 25: the first tick on a fresh isolate. */
const COLD_TICK_GOAL_MS = 20;

const fixed = (value: number, digits = 2) => value.toFixed(digits);

function printWarm(size: number, dialect: WebshareDialect, ticks: WarmTicks): void {
  const processes = ticks.perProcess.map((r) => `${fixed(r.maxMs)}/${fixed(r.medianMs)}`).join(' ');
  console.log(
    [
      dialect.padEnd(3),
      String(size).padStart(7),
      String(ticks.ticksMs.length).padStart(5),
      fixed(median(ticks.requests), 0).padStart(8),
      fixed(ticks.maxMs).padStart(6),
      fixed(ticks.medianMs).padStart(9),
      fixed(ticks.readParseMs).padStart(13),
      `${fixed(ticks.medianMs / ticks.readParseMs, 1)}×`.padStart(7),
      `  ${processes}`,
    ].join(' | '),
  );
}

function tickLine(size: number, dialect: WebshareDialect, ticks: WarmTicks): string {
  return `tick-cpu-workerd api=${dialect} proxies=${size} max_ms=${fixed(ticks.maxMs)} median_ms=${fixed(ticks.medianMs)} read_parse_ms=${fixed(ticks.readParseMs)} ratio=${fixed(ticks.medianMs / ticks.readParseMs)}`;
}

/**
 * Median CPU of the steady ticks (the fresh install's first left out) and their median requests, at a
 * fixed number of list requests a tick.
 */
async function steadyAt(
  build: WorkerdBuild,
  proxies: number,
  dialect: WebshareDialect,
  cap: number,
  ticks: number,
) {
  const run = await measureWarmTicks(build, proxies, dialect, {
    ticks,
    vars: { SWEEP_PAGES_PER_TICK: String(cap) },
  });
  return { ms: run.steadyMedianMs, requests: median(run.requests.slice(1)) };
}

/** One list request's CPU: the slope of a steady tick over two request caps (as bench/tick-model.ts). */
async function listRequestMs(build: WorkerdBuild, dialect: WebshareDialect): Promise<number> {
  const [proxies, low, high, ticks] = dialect === 'v1' ? [10_000, 5, 30, 10] : [100_000, 3, 12, 4];
  const a = await steadyAt(build, proxies, dialect, low, ticks);
  const b = await steadyAt(build, proxies, dialect, high, ticks);
  return (b.ms - a.ms) / (b.requests - a.requests);
}

async function printModel(build: WorkerdBuild): Promise<void> {
  const v1 = await listRequestMs(build, 'v1');
  const v2 = await listRequestMs(build, 'v2');
  // A steady 100-proxy v1 tick is its fixed part, 4 list pages of 25 and a small state (~7 KiB).
  const small = await steadyAt(build, 100, 'v1', 40, 6);
  const model = TICK_CPU_MODEL;
  const figures: ModelFigure[] = [
    ['fixed ms (100 proxies, v1)', small.ms - 4 * v1 - 7 * model.stateMsPerKiB, model.fixedMs],
    ['v1 list request ms (25 proxies)', v1, V1_LIST_REQUEST_CPU_MS],
    ['v2 list request ms (100 proxies)', v2, V2_LIST_REQUEST_CPU_MS],
  ];
  printModelFigures('in workerd', figures);
}

export async function benchTickCpuWorkerd(): Promise<void> {
  await withTickBench(async (build) => {
    console.log(
      '\nTick CPU in workerd (thread CPU per tick, `workerd bench`; a fresh install through 2 full sweeps; 5% invalid; replayed Webshare responses, KV in memory; median of processes)',
    );
    console.log(
      'API | proxies | ticks | requests | max ms | median ms | read+parse ms |  ratio | per process max/median',
    );
    const results: { size: number; dialect: WebshareDialect; ticks: WarmTicks }[] = [];
    for (const size of TICK_SIZES) {
      for (const dialect of TICK_DIALECTS) {
        const ticks = await measureWarmTicks(build, size, dialect);
        results.push({ size, dialect, ticks });
        printWarm(size, dialect, ticks);
      }
    }
    const cold = [];
    for (const dialect of TICK_DIALECTS) {
      const tick = await measureColdTick(build, dialect);
      cold.push({ dialect, tick });
      console.log(
        `cold tick (${dialect}, ${COLD_PROXIES} proxies, fresh isolate): ${fixed(tick.ms)} ms = modules ${fixed(tick.importMs)} + first scheduled() ${fixed(tick.firstTickMs)}`,
      );
    }
    // BENCH_TICK_MODEL=0 leaves the model out (12 more workerd processes).
    if (process.env.BENCH_TICK_MODEL !== '0') await printModel(build);

    const worst = results.reduce((a, b) => (b.ticks.maxMs > a.ticks.maxMs ? b : a), results[0]!);
    reportGoal(
      `no tick over ${FREE_PLAN_CPU_MS} ms CPU in workerd`,
      `largest ${fixed(worst.ticks.maxMs)} ms: ${worst.dialect}, ${worst.size} proxies`,
      worst.ticks.maxMs <= FREE_PLAN_CPU_MS,
    );
    for (const { size, dialect, ticks } of results) {
      if (size !== 1_000 && size !== 10_000) continue;
      const ratio = ticks.medianMs / ticks.readParseMs;
      reportGoal(
        `median tick ≤ ${READ_PARSE_RATIO_GOAL}× read+parse of its bodies (${dialect}, ${size} proxies)`,
        `${fixed(ratio)}×`,
        ratio <= READ_PARSE_RATIO_GOAL,
      );
    }
    for (const { dialect, tick } of cold) {
      reportGoal(
        `first tick on a fresh isolate ≤ ${COLD_TICK_GOAL_MS} ms (${dialect})`,
        `${fixed(tick.ms)} ms`,
        tick.ms <= COLD_TICK_GOAL_MS,
      );
    }
    for (const { size, dialect, ticks } of results) reportLine(tickLine(size, dialect, ticks));
    for (const { dialect, tick } of cold)
      reportLine(`tick-cpu-workerd-cold api=${dialect} ms=${fixed(tick.ms)}`);
  });
}
