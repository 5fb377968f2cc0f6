/**
 * Tick cost against account size: for 100 / 1,000 / 10,000 / 100,000 proxies, runs ticks until a
 * full validity sweep finishes and reports Webshare calls, KV reads and writes per tick, ticks per
 * sweep, and the CPU time of a tick as a ratio to a baseline measured in the same run: plain
 * `JSON.parse` of the very proxy-list pages that tick fetched (the least any poller must do).
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
import { MemoryKv } from './memory-kv';

const SIZES = [100, 1_000, 10_000, 100_000];
const TICK_INTERVAL_MS = 5 * 60_000;
const START_MS = Date.parse('2026-12-01T00:00:00Z');
const API_KEY = 'bench-api-key-000000';
const MAX_TICKS = 200;

interface RecordedResponse {
  status: number;
  body: string;
  contentType: string;
}

interface RunResult {
  ticks: number;
  webshareCalls: number;
  /** KV reads of one steady-state tick. */
  kvReads: number;
  kvWrites: number;
  tickCpuMs: number;
  baselineCpuMs: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
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
    webshareCalls: 0,
    kvReads: 0,
    kvWrites: 0,
    tickCpuMs: 0,
    baselineCpuMs: 0,
  };
  while (result.ticks < MAX_TICKS) {
    clock.now = START_MS + result.ticks * TICK_INTERVAL_MS;
    pageBodies.length = 0;
    const started = cpuMs();
    const tick = await recordTick({ kv: kv.asKv(), config, log, scheduledTime: clock.now, nowMs: clock.now });
    result.tickCpuMs += cpuMs() - started;
    const baselineStarted = cpuMs();
    for (const body of pageBodies) JSON.parse(body);
    result.baselineCpuMs += cpuMs() - baselineStarted;
    result.ticks++;
    if (tick.status !== 'done') throw new Error(`tick ${result.ticks} was ${tick.status}`);
    result.webshareCalls += tick.webshareCalls;
    if (tick.snapshot.sweep) break;
  }
  result.kvWrites = kv.writes;
  // KV reads of a running poller: one more tick after the sweep. (The first tick of a fresh install
  // looks back up to 72 hourly buckets for a state to resume, once; that is not the steady cost.)
  const readsBefore = kv.reads;
  clock.now = START_MS + result.ticks * TICK_INTERVAL_MS;
  await recordTick({ kv: kv.asKv(), config, log, scheduledTime: clock.now, nowMs: clock.now });
  result.kvReads = kv.reads - readsBefore;
  return result;
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
  const isListPage = (url: string) =>
    ['/api/proxy/list/', '/api/v2/proxy/list/'].includes(new URL(url).pathname);

  const recording = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const response = await sim.fetch(request);
    const entry = {
      status: response.status,
      body: await response.text(),
      contentType: response.headers.get('Content-Type') ?? 'application/json',
    };
    recorded.set(`${request.method} ${request.url}`, entry);
    return new Response(entry.body, { status: entry.status, headers: { 'Content-Type': entry.contentType } });
  }) as typeof fetch;
  await runUntilSwept(recording, pageBodies, clock, dialect);

  const replaying = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const entry = recorded.get(`${init?.method ?? 'GET'} ${url}`);
    if (!entry) throw new Error(`bench replay has no response for ${url}`);
    if (isListPage(url)) pageBodies.push(entry.body);
    return new Response(entry.body, { status: entry.status, headers: { 'Content-Type': entry.contentType } });
  }) as typeof fetch;
  return runUntilSwept(replaying, pageBodies, clock, dialect);
}

export async function benchTickCost(): Promise<void> {
  const originalFetch = globalThis.fetch;
  console.log(
    '\nTick cost vs account size (ticks every 5 min, budget 50 subrequests, v1 page size 25, v2 page size 100, 5% invalid)',
  );
  console.log(
    'API | proxies  | ticks/sweep | Webshare calls/tick | KV reads/steady tick | KV writes/tick | CPU/tick (ms) | CPU ratio to JSON.parse of the same pages',
  );
  try {
    await measure(1_000, 'v1'); // warm-up: JIT compilation would otherwise land on the first size
    for (const size of SIZES) {
      for (const dialect of ['v1', 'v2'] as const) {
        // Median of three runs: one run is at the mercy of GC and of other processes.
        const runs = [
          await measure(size, dialect),
          await measure(size, dialect),
          await measure(size, dialect),
        ];
        const ratio = (r: RunResult) => r.tickCpuMs / Math.max(r.baselineCpuMs, 0.001);
        const r = runs.sort((a, b) => ratio(a) - ratio(b))[1]!;
        console.log(
          [
            dialect.padEnd(3),
            String(size).padEnd(8),
            String(r.ticks).padStart(11),
            (r.webshareCalls / r.ticks).toFixed(1).padStart(19),
            r.kvReads.toFixed(2).padStart(20),
            (r.kvWrites / r.ticks).toFixed(2).padStart(14),
            (r.tickCpuMs / r.ticks).toFixed(1).padStart(13),
            `${ratio(r).toFixed(1)}×`.padStart(8),
          ].join(' | '),
        );
      }
    }
    const [v1, v2] = [await measure(100_000, 'v1', 0.02), await measure(100_000, 'v2', 0.02)];
    console.log(
      '\nOne complete validity sweep of 100,000 proxies with 2% invalid (budget 50 subrequests a tick):',
    );
    console.log(
      `  v1: ${v1.ticks} ticks (${((v1.ticks * 5) / 60).toFixed(1)} h at */5), ${(v1.webshareCalls / v1.ticks).toFixed(1)} Webshare calls a tick`,
    );
    console.log(
      `  v2: ${v2.ticks} tick${v2.ticks === 1 ? '' : 's'}, ${(v2.webshareCalls / v2.ticks).toFixed(1)} Webshare calls a tick`,
    );
  } finally {
    globalThis.fetch = originalFetch;
  }
}
