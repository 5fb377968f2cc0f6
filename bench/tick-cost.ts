/**
 * Tick cost against account size: for 100 / 1,000 / 10,000 / 100,000 proxies, runs ticks from a
 * fresh install until two full validity sweeps have finished (the first tick of an install and a
 * steady sweep both count) and reports Webshare calls, KV reads and writes per tick, ticks per sweep,
 * the mean and the largest CPU time of a tick, and the CPU as a ratio to baselines measured in the
 * same run on the very bodies those ticks fetched from Webshare: a plain `JSON.parse` of each, and
 * reading each from a `Response` and parsing it (what any poller built on fetch must do; in Node the
 * read alone costs more than the parse, in workerd it is native).
 *
 * Each size runs on both Webshare dialects: v1 reads every page of the list; v2 asks the list for
 * its size, its invalid proxies (`valid=false`, 100 a page) and the size of each country that has
 * some. A last table puts the ticks per complete sweep of 100,000 proxies with 2 % invalid side by side.
 *
 * The simulator runs in this process, so each size runs twice: a priming run records every response,
 * and the measured run replays them from memory — the tick's CPU then excludes the simulator's.
 */
import { createSimulator } from '../sim';
import { loadConfig } from '../src/config';
import type { Env } from '../src/env';
import { createLogger } from '../src/lib/log';
import { recordTick } from '../src/cycle/record';
import type { WebshareDialect } from '../src/webshare/api';
import { median, reportGoal } from './bench-util';
import { MemoryKv } from './memory-kv';

const SIZES = (process.env.BENCH_TICK_SIZES ?? '100,1000,10000,100000').split(',').map(Number);
const DIALECTS = (process.env.BENCH_TICK_APIS ?? 'v1,v2').split(',') as WebshareDialect[];
/** The Workers Free plan's CPU time per invocation. */
const FREE_PLAN_CPU_MS = 10;
const TICK_INTERVAL_MS = 5 * 60_000;
const START_MS = Date.parse('2026-12-01T00:00:00Z');
const API_KEY = 'bench-api-key-000000';
const MAX_TICKS = 1_000;
const SWEEPS = 2;
const RUNS = 5;

interface RecordedResponse {
  status: number;
  body: string;
  contentType: string;
}

interface RunResult {
  ticks: number;
  /** Ticks of the last (steady) sweep. */
  sweepTicks: number;
  webshareCalls: number;
  /** KV reads of one steady-state tick. */
  kvReads: number;
  kvWrites: number;
  /** The largest KV value a tick wrote (the hour's bucket: state and snapshots), KiB. */
  largestWriteKiB: number;
  tickCpuMs: number;
  /** The most CPU one tick took. */
  maxTickCpuMs: number;
  /** JSON.parse of every body the ticks fetched. */
  baselineCpuMs: number;
  /** Reading every body from a Response, then JSON.parse. */
  readParseCpuMs: number;
}

/**
 * The tick's time on the main thread. Everything it awaits is in memory (replayed responses, MemoryKv),
 * so its wall time is its CPU time; process.cpuUsage() would be no better, as Linux accounts it in
 * scheduler ticks (4 ms), coarser than a tick.
 */
function cpuMs(): number {
  return performance.now();
}

async function runUntilSwept(
  fetchImpl: typeof fetch,
  pageBodies: string[],
  clock: { now: number },
  dialect: WebshareDialect,
): Promise<RunResult> {
  globalThis.fetch = fetchImpl;
  const kv = new MemoryKv();
  const env = {
    STATE: kv.asKv(),
    WEBSHARE_API_KEY: API_KEY,
    WEBSHARE_API_BASE_URL: 'https://webshare.sim',
    WEBSHARE_API_VERSION: dialect,
  } as Env;
  const config = loadConfig(env);
  const log = createLogger({ sink: () => {} });
  const result: RunResult = {
    ticks: 0,
    sweepTicks: 0,
    webshareCalls: 0,
    kvReads: 0,
    kvWrites: 0,
    largestWriteKiB: 0,
    tickCpuMs: 0,
    maxTickCpuMs: 0,
    baselineCpuMs: 0,
    readParseCpuMs: 0,
  };
  let sweeps = 0;
  let sweepTicks = 0;
  while (result.ticks < MAX_TICKS) {
    clock.now = START_MS + result.ticks * TICK_INTERVAL_MS;
    pageBodies.length = 0;
    const started = cpuMs();
    const tick = await recordTick({ kv: kv.asKv(), config, log, scheduledTime: clock.now, nowMs: clock.now });
    const tickCpuMs = cpuMs() - started;
    result.tickCpuMs += tickCpuMs;
    result.maxTickCpuMs = Math.max(result.maxTickCpuMs, tickCpuMs);
    const baselineStarted = cpuMs();
    for (const body of pageBodies) JSON.parse(body);
    result.baselineCpuMs += cpuMs() - baselineStarted;
    const readStarted = cpuMs();
    for (const body of pageBodies) JSON.parse(await new Response(body).text());
    result.readParseCpuMs += cpuMs() - readStarted;
    result.ticks++;
    sweepTicks++;
    if (tick.status !== 'done') throw new Error(`tick ${result.ticks} was ${tick.status}`);
    result.webshareCalls += tick.webshareCalls;
    if (tick.snapshot.sweep?.finished_at === new Date(clock.now).toISOString()) {
      sweeps++;
      if (sweeps === SWEEPS) break;
      sweepTicks = 0;
    }
  }
  if (sweeps < SWEEPS) throw new Error(`no ${SWEEPS} sweeps within ${MAX_TICKS} ticks`);
  result.sweepTicks = sweepTicks;
  result.kvWrites = kv.writes;
  result.largestWriteKiB = kv.largestWrite / 1024;
  // KV reads of a running poller: one more tick after the sweep. (The first tick of a fresh install
  // looks back up to 72 hourly buckets for a state to resume, once; that is not the steady cost.)
  const readsBefore = kv.reads;
  clock.now = START_MS + result.ticks * TICK_INTERVAL_MS;
  await recordTick({ kv: kv.asKv(), config, log, scheduledTime: clock.now, nowMs: clock.now });
  result.kvReads = kv.reads - readsBefore;
  return result;
}

/**
 * The URL without its time bounds: v2's stats ask up to the tick's clock, which moves on with real
 * time (milliseconds apart between the recording and the replay).
 */
function withoutTime(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete('timestamp__lte');
  return parsed.href;
}

async function measure(proxies: number, dialect: WebshareDialect, invalidShare = 0.05): Promise<RunResult> {
  const clock = { now: START_MS };
  const sim = createSimulator({
    apiKey: API_KEY,
    proxyCount: proxies,
    now: () => clock.now,
    apiVersion: dialect,
  });
  sim.control.invalidate(Math.round(proxies * invalidShare));
  const recorded = new Map<string, RecordedResponse>();
  const pageBodies: string[] = [];

  const recording = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const response = await sim.fetch(request);
    const entry = {
      status: response.status,
      body: await response.text(),
      contentType: response.headers.get('Content-Type') ?? 'application/json',
    };
    recorded.set(`${request.method} ${request.url}`, entry);
    recorded.set(`${request.method} ${withoutTime(request.url)}`, entry);
    return new Response(entry.body, { status: entry.status, headers: { 'Content-Type': entry.contentType } });
  }) as typeof fetch;
  await runUntilSwept(recording, pageBodies, clock, dialect);

  const replaying = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    const entry = recorded.get(`${method} ${url}`) ?? recorded.get(`${method} ${withoutTime(url)}`);
    if (!entry) throw new Error(`bench replay has no response for ${url}`);
    pageBodies.push(entry.body);
    return new Response(entry.body, { status: entry.status, headers: { 'Content-Type': entry.contentType } });
  }) as typeof fetch;
  return runUntilSwept(replaying, pageBodies, clock, dialect);
}

function row(cells: string[]): string {
  return cells.join(' | ');
}

export async function benchTickCost(): Promise<void> {
  const originalFetch = globalThis.fetch;
  console.log(
    `\nTick cost vs account size (ticks every 5 min from a fresh install through ${SWEEPS} full sweeps; budget 50 subrequests; v1 page size 25, v2 page size 100; 5% invalid)`,
  );
  console.log(
    row([
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
    ]),
  );
  const results: { size: number; dialect: WebshareDialect; run: RunResult }[] = [];
  const ratio = (r: RunResult) => r.tickCpuMs / Math.max(r.baselineCpuMs, 0.001);
  try {
    // Warm-up: JIT compilation would otherwise land on the first size measured.
    for (const dialect of DIALECTS) for (let i = 0; i < 3; i++) await measure(1_000, dialect);
    for (const size of SIZES) {
      for (const dialect of DIALECTS) {
        // The median of five runs: one run is at the mercy of GC and of other processes.
        const runs: RunResult[] = [];
        for (let i = 0; i < RUNS; i++) runs.push(await measure(size, dialect));
        const r = { ...runs.sort((a, b) => ratio(a) - ratio(b))[RUNS >> 1]! };
        // The largest tick is the median of each run's largest, for the same reason.
        r.maxTickCpuMs = median(runs.map((run) => run.maxTickCpuMs));
        results.push({ size, dialect, run: r });
        console.log(
          row([
            dialect.padEnd(3),
            String(size).padEnd(8),
            String(r.sweepTicks).padStart(11),
            (r.webshareCalls / r.ticks).toFixed(1).padStart(19),
            r.kvReads.toFixed(2).padStart(20),
            (r.kvWrites / r.ticks).toFixed(2).padStart(14),
            r.largestWriteKiB.toFixed(0).padStart(17),
            (r.tickCpuMs / r.ticks).toFixed(2).padStart(11),
            r.maxTickCpuMs.toFixed(2).padStart(11),
            `${ratio(r).toFixed(1)}×`.padStart(19),
            `${(r.tickCpuMs / Math.max(r.readParseCpuMs, 0.001)).toFixed(1)}×`.padStart(19),
            ((r.tickCpuMs - r.baselineCpuMs) / r.ticks).toFixed(2).padStart(19),
          ]),
        );
      }
    }
    reportTickGoals(results, ratio);
    if (process.env.BENCH_TICK_SIZES === undefined) await sweepOf100kAt2Percent();
  } finally {
    globalThis.fetch = originalFetch;
  }
}

function reportTickGoals(
  results: { size: number; dialect: WebshareDialect; run: RunResult }[],
  ratio: (r: RunResult) => number,
): void {
  const worst = results.reduce((a, b) => (b.run.maxTickCpuMs > a.run.maxTickCpuMs ? b : a), results[0]!);
  reportGoal(
    `no tick over the Free plan's ${FREE_PLAN_CPU_MS} ms at any size`,
    `largest ${worst.run.maxTickCpuMs.toFixed(2)} ms (${worst.dialect}, ${worst.size} proxies)`,
    worst.run.maxTickCpuMs <= FREE_PLAN_CPU_MS,
  );
  for (const { size, dialect, run } of results) {
    if (size === 1_000 || size === 10_000) {
      reportGoal(
        `tick CPU ≤ 2× JSON.parse of its pages (${dialect}, ${size} proxies)`,
        `${ratio(run).toFixed(2)}×`,
        ratio(run) <= 2,
      );
    }
    if (size === 100) {
      const above = (run.tickCpuMs - run.baselineCpuMs) / run.ticks;
      reportGoal(
        `100-proxy tick ≤ 3 ms above its JSON.parse (${dialect})`,
        `${above.toFixed(2)} ms above`,
        above <= 3,
      );
    }
  }
}

async function sweepOf100kAt2Percent(): Promise<void> {
  const [v1, v2] = [await measure(100_000, 'v1', 0.02), await measure(100_000, 'v2', 0.02)];
  console.log(
    '\nOne complete validity sweep of 100,000 proxies with 2% invalid (budget 50 subrequests a tick):',
  );
  for (const [name, r] of [
    ['v1', v1],
    ['v2', v2],
  ] as const) {
    console.log(
      `  ${name}: ${r.sweepTicks} tick${r.sweepTicks === 1 ? '' : 's'} (${((r.sweepTicks * 5) / 60).toFixed(1)} h at */5), ${(r.webshareCalls / r.ticks).toFixed(1)} Webshare calls a tick`,
    );
  }
}
