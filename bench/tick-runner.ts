/**
 * Runs the real tick (recordTick) in Node against the simulator, for the tick benches. The simulator
 * runs in this process, so each measurement runs twice: a priming run records every response, and the
 * measured run replays them from memory, so the tick's time excludes the simulator's.
 */
import { createSimulator } from '../sim';
import { loadConfig } from '../src/config';
import { recordTick } from '../src/cycle/record';
import type { Env } from '../src/env';
import { createLogger } from '../src/lib/log';
import type { WebshareDialect } from '../src/webshare/port';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryKv } from './memory-kv';
import { ResponseReplay } from './replay';

const TICK_INTERVAL_MS = 5 * 60_000;
const START_MS = Date.parse('2026-12-01T00:00:00Z');
const API_KEY = 'bench-api-key-000000';
const MAX_TICKS = 1_000;
const decoder = new TextDecoder();
setFlagsFromString('--expose-gc');
/**
 * A young-generation collection between ticks, outside the measured time. Ticks are five minutes
 * apart and an isolate collects while idle; without it, the bench's own garbage (the baselines'
 * parsed pages, the replay's responses) would be scavenged inside the next tick and counted as its.
 * (A full collection would be wrong the other way: it flushes compiled code and makes every tick cold.)
 */
const collectGarbage = runInNewContext('gc') as (options: { type: 'minor' | 'major' }) => void;

export interface TickRecord {
  ms: number;
  listRequests: number;
  /** This tick finished a sweep. */
  finished: boolean;
  /** Bytes of the stored state this tick read. */
  stateBytes: number;
}

export interface RunResult {
  /** Every tick, in order. */
  ticks: TickRecord[];
  /** Ticks of the last sweep. */
  sweepTicks: number;
  webshareCalls: number;
  /** KV reads of one steady-state tick. */
  kvReads: number;
  kvWrites: number;
  /** The largest KV value a tick wrote (the hour's bucket: state and snapshots), as written. */
  largestWrite: string;
  tickMs: number;
  /** The most time one tick took. */
  maxTickMs: number;
  /** JSON.parse of every body the ticks fetched. */
  baselineMs: number;
  /** Reading every body from a Response, then JSON.parse. */
  readParseMs: number;
}

export interface RunOptions {
  /** Share of the proxies the simulator marks invalid (default 5 %). */
  invalidShare?: number;
  /** Full sweeps to run through (default 2), unless `ticks` is given. */
  sweeps?: number;
  /** Exactly this many ticks, swept or not. */
  ticks?: number;
  env?: Partial<Env>;
}

/**
 * The tick's time on the main thread. Everything it awaits is in memory (replayed responses, MemoryKv),
 * so its wall time is its CPU time; process.cpuUsage() would be no better, as Linux accounts it in
 * scheduler ticks (4 ms), coarser than a tick.
 */
function nowMs(): number {
  return performance.now();
}

async function run(
  fetchImpl: typeof fetch,
  bodies: Uint8Array[],
  clock: { now: number },
  dialect: WebshareDialect,
  options: RunOptions,
): Promise<RunResult> {
  globalThis.fetch = fetchImpl;
  const kv = new MemoryKv();
  const env = {
    STATE: kv.asKv(),
    WEBSHARE_API_KEY: API_KEY,
    WEBSHARE_API_BASE_URL: 'https://webshare.sim',
    WEBSHARE_API_VERSION: dialect,
    ...options.env,
  } as Env;
  const config = await loadConfig(env);
  const log = createLogger({ sink: () => {} });
  const result: RunResult = {
    ticks: [],
    sweepTicks: 0,
    webshareCalls: 0,
    kvReads: 0,
    kvWrites: 0,
    largestWrite: '',
    tickMs: 0,
    maxTickMs: 0,
    baselineMs: 0,
    readParseMs: 0,
  };
  const sweepsWanted = options.sweeps ?? 2;
  let sweeps = 0;
  let sweepTicks = 0;
  const tickAt = (i: number) => START_MS + i * TICK_INTERVAL_MS;
  while (result.ticks.length < (options.ticks ?? MAX_TICKS)) {
    clock.now = tickAt(result.ticks.length);
    bodies.length = 0;
    const readBefore = kv.bytesRead;
    collectGarbage({ type: 'minor' });
    const started = nowMs();
    const tick = await recordTick({ kv: kv.asKv(), config, log, scheduledTime: clock.now, nowMs: clock.now });
    const ms = nowMs() - started;
    result.tickMs += ms;
    result.maxTickMs = Math.max(result.maxTickMs, ms);
    const texts = bodies.map((body) => decoder.decode(body));
    const baselineStarted = nowMs();
    for (const text of texts) JSON.parse(text);
    result.baselineMs += nowMs() - baselineStarted;
    const readStarted = nowMs();
    for (const body of bodies) JSON.parse(await new Response(body).text());
    result.readParseMs += nowMs() - readStarted;
    if (tick.status !== 'done') throw new Error(`tick ${result.ticks.length + 1} was ${tick.status}`);
    const finished = tick.snapshot.sweep?.finished_at === new Date(clock.now).toISOString();
    result.ticks.push({ ms, listRequests: tick.sweepPages, finished, stateBytes: kv.bytesRead - readBefore });
    result.webshareCalls += tick.webshareCalls;
    sweepTicks++;
    if (finished) {
      sweeps++;
      if (options.ticks === undefined && sweeps === sweepsWanted) break;
      sweepTicks = 0;
    }
  }
  if (options.ticks === undefined && sweeps < sweepsWanted) {
    throw new Error(`no ${sweepsWanted} sweeps within ${MAX_TICKS} ticks`);
  }
  result.sweepTicks = sweepTicks;
  result.kvWrites = kv.writes;
  result.largestWrite = kv.largestWrite;
  // KV reads of a running poller: one more tick. (The first tick of a fresh install looks back up to
  // 72 hourly buckets for a state to resume, once; that is not the steady cost.)
  const readsBefore = kv.reads;
  clock.now = tickAt(result.ticks.length);
  await recordTick({ kv: kv.asKv(), config, log, scheduledTime: clock.now, nowMs: clock.now });
  result.kvReads = kv.reads - readsBefore;
  return result;
}

/** Ticks of an account of `proxies` proxies on `dialect`, their responses replayed from memory. */
export async function measureTicks(
  proxies: number,
  dialect: WebshareDialect,
  options: RunOptions = {},
): Promise<RunResult> {
  const originalFetch = globalThis.fetch;
  const clock = { now: START_MS };
  const sim = createSimulator({
    apiKey: API_KEY,
    proxyCount: proxies,
    now: () => clock.now,
    apiVersion: dialect,
  });
  sim.control.invalidate(Math.round(proxies * (options.invalidShare ?? 0.05)));
  const replay = new ResponseReplay();
  const bodies: Uint8Array[] = [];
  const recording = replay.recorder(sim.fetch);
  const replaying = replay.replayer((body) => bodies.push(body));

  try {
    await run(recording, bodies, clock, dialect, options);
    return await run(replaying, bodies, clock, dialect, options);
  } finally {
    globalThis.fetch = originalFetch;
  }
}
