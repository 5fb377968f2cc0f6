/**
 * Measures each figure of the tick's CPU model (src/poller/cpu-budget.ts) and prints it beside the one
 * the worker uses, so the model stays a measurement rather than a guess:
 * - a list request: the slope of a steady tick's time over two SWEEP_PAGES_PER_TICK caps (the state's
 *   growth with each page included);
 * - the state: parsing the largest bucket a 100,000-proxy sweep wrote, indexing its addresses and
 *   writing it back, per KiB;
 * - finishing a sweep: finishSweep over 5,000 tracked addresses, per address;
 * - the fixed part: a steady 100-proxy tick less its pages and its state.
 */
import { printModelFigures, type ModelFigure } from './model-figures';
import { median } from './bench-util';
import { measureTicks, type RunResult } from './tick-runner';
import { TICK_CPU_MODEL } from '../src/poller/cpu-budget';
import { V1_LIST_REQUEST_CPU_MS } from '../src/webshare/v1/traits';
import { V2_LIST_REQUEST_CPU_MS } from '../src/webshare/v2/traits';
import { finishSweep, startAccumulator } from '../src/webshare/sweep';
import { pack } from '../src/model/packed-list';
import { upgradePollerState, type PollerState } from '../src/model/poller-state';
import type { WebshareDialect } from '../src/webshare/port';

const RUNS = 3;

/**
 * Median time, list requests and state read of the steady ticks: the first (a fresh install's) left
 * out, and the ones finishing a sweep unless every tick does (a small account).
 */
function steady(run: RunResult): { ms: number; requests: number; stateKiB: number } {
  const later = run.ticks.slice(1);
  const ongoing = later.filter((t) => !t.finished);
  const ticks = ongoing.length > 0 ? ongoing : later;
  return {
    ms: median(ticks.map((t) => t.ms)),
    requests: median(ticks.map((t) => t.listRequests)),
    stateKiB: median(ticks.map((t) => t.stateBytes / 1024)),
  };
}

async function steadyOf(proxies: number, dialect: WebshareDialect, cap: number, ticks: number) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(
      steady(await measureTicks(proxies, dialect, { ticks, env: { SWEEP_PAGES_PER_TICK: String(cap) } })),
    );
  }
  return {
    ms: median(runs.map((r) => r.ms)),
    requests: median(runs.map((r) => r.requests)),
    stateKiB: median(runs.map((r) => r.stateKiB)),
  };
}

async function listRequestMs(dialect: WebshareDialect): Promise<number> {
  // v1: 400 pages of 25; v2: 50 filtered pages of 100 invalid proxies. Neither cap finishes a sweep.
  const [proxies, low, high, ticks] = dialect === 'v1' ? [10_000, 5, 30, 10] : [100_000, 3, 12, 4];
  const a = await steadyOf(proxies, dialect, low, ticks);
  const b = await steadyOf(proxies, dialect, high, ticks);
  return (b.ms - a.ms) / (b.requests - a.requests);
}

function timeMs(work: () => void, repeat = 30): number {
  for (let i = 0; i < 5; i++) work();
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

async function stateMsPerKiB(): Promise<number> {
  const { largestWrite } = await measureTicks(100_000, 'v1', {
    ticks: 120,
    env: { SWEEP_PAGES_PER_TICK: '30' },
  });
  const ms = timeMs(() => {
    const bucket = JSON.parse(largestWrite) as { state: PollerState };
    upgradePollerState(bucket.state);
    JSON.stringify(bucket);
  });
  return ms / (largestWrite.length / 1024);
}

function finishMsPerTracked(): number {
  const tracked = 5_000;
  const acc = startAccumulator('2026-12-01T00:00:00.000Z');
  const addresses: string[] = [];
  const previous = { addresses: [] as string[], counts: [] as number[] };
  for (let i = 0; i < tracked; i++) {
    const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    addresses.push(address);
    if (i % 2 === 0) {
      previous.addresses.push(address);
      previous.counts.push(1 + (i % 7));
    }
  }
  acc.tracked = tracked;
  acc.tracked_addresses = pack(addresses);
  acc.tracked_countries = pack(addresses.map(() => 'US'));
  const streaks = {
    size: previous.addresses.length,
    addresses: pack(previous.addresses),
    counts: pack(previous.counts),
  };
  return timeMs(() => finishSweep(acc, streaks, '2026-12-01T01:00:00.000Z')) / tracked;
}

export async function benchCostModel(): Promise<void> {
  const v1 = await listRequestMs('v1');
  const v2 = await listRequestMs('v2');
  const state = await stateMsPerKiB();
  const finish = finishMsPerTracked();
  const small = await steadyOf(100, 'v1', 40, 6);
  const fixed = small.ms - small.requests * v1 - small.stateKiB * state;
  const model = TICK_CPU_MODEL;
  const figures: ModelFigure[] = [
    ['fixed ms', fixed, model.fixedMs],
    ['state ms per KiB', state, model.stateMsPerKiB],
    ['finish ms per tracked address', finish, model.finishMsPerTracked],
    ['v1 list request ms (25 proxies)', v1, V1_LIST_REQUEST_CPU_MS],
    ['v2 list request ms (100 proxies)', v2, V2_LIST_REQUEST_CPU_MS],
  ];
  printModelFigures('now', figures);
}
