/**
 * The tick bench that runs inside workerd (`workerd bench`; bench/tick-workerd.ts builds it and reads
 * the results). What is timed is the worker as deployed: the `wrangler deploy --dry-run` bundle,
 * imported by name and called through its `scheduled()` handler, as the cron trigger calls it. workerd
 * reports each sample's thread CPU time.
 *
 * - warm: the simulator's responses for a fresh install through `sweeps` complete sweeps are recorded
 *   (with recordTick, in this bundle's own copy of the code), the whole sequence is played once through
 *   the worker untimed (so its code is compiled, as in an isolate that has run ticks before), then
 *   played again on an empty KV, one tick per sample (case `tick`). Case `read-parse` then reads each
 *   tick's bodies from a Response and parses them: the baseline, per tick.
 * - cold: the first tick of a fresh install on a fresh isolate: case `import` evaluates the worker's
 *   modules, case `first-tick` runs its first scheduled(). One sample each: run one process per sample.
 *
 * KV is in memory (bench/memory-kv.ts) and there are no Durable Object bindings: the tick then runs
 * without the poll lock and the rate gate, as the code allows.
 */
import { createSimulator } from '../../sim';
import { loadConfig } from '../../src/config';
import { recordTick } from '../../src/cycle/record';
import type { Env } from '../../src/env';
import { createLogger } from '../../src/lib/log';
import type { WebshareDialect } from '../../src/webshare/api';
import { MemoryKv } from '../memory-kv';
import { ResponseReplay } from '../replay';

export interface TickBenchParams {
  mode: 'warm' | 'cold';
  proxies: number;
  dialect: WebshareDialect;
  /** Share of the proxies the simulator marks invalid. */
  invalidShare: number;
  /** Complete sweeps to run through (warm). */
  sweeps: number;
  /** Variables besides the API's (e.g. SWEEP_PAGES_PER_TICK). */
  vars: Record<string, string>;
  /** Ticks to run when set, swept or not (warm). */
  ticks?: number;
  /** The module of the worker's bundle, imported by a name esbuild cannot follow, so it stays out of this bundle. */
  workerModule: string;
}

/** The part of workerd's bench harness this module uses. */
interface Bench {
  run(
    name: string,
    fn: () => unknown,
    options: { samples: number; warmup: number; batch: number; setup?: () => void },
  ): void;
}

interface Worker {
  scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void>;
}

/** After the real clock, so the handler's max(now, scheduledTime) is the tick's own time. */
const START_MS = Date.parse('2030-01-01T00:00:00Z');
const TICK_INTERVAL_MS = 5 * 60_000;
const API_KEY = 'bench-api-key-000000';
const MAX_TICKS = 1_000;
/** Ticks played untimed before the measured ones, so the measured ones run compiled code. */
const WARMUP_TICKS = 30;
const ONE_SAMPLE = { samples: 1, warmup: 0, batch: 1 };

const tickAt = (i: number) => START_MS + i * TICK_INTERVAL_MS;

function benchEnv(kv: MemoryKv, params: TickBenchParams): Env {
  return {
    STATE: kv.asKv(),
    WEBSHARE_API_KEY: API_KEY,
    WEBSHARE_API_BASE_URL: 'https://webshare.sim',
    WEBSHARE_API_VERSION: params.dialect,
    ...params.vars,
  } as Env;
}

function controller(scheduledTime: number): ScheduledController {
  return { scheduledTime, cron: '*/5 * * * *', noRetry: () => {} };
}

const context = {
  waitUntil: () => {},
  passThroughOnException: () => {},
  props: {},
} as unknown as ExecutionContext;

/** Records the simulator's answers to `params`' ticks; returns how many ticks that was. */
async function recordRun(params: TickBenchParams, clock: { now: number }, replay: ResponseReplay) {
  const sim = createSimulator({
    apiKey: API_KEY,
    proxyCount: params.proxies,
    now: () => clock.now,
    apiVersion: params.dialect,
  });
  sim.control.invalidate(Math.round(params.proxies * params.invalidShare));
  globalThis.fetch = replay.recorder(sim.fetch);
  const kv = new MemoryKv();
  const config = loadConfig(benchEnv(kv, params));
  const log = createLogger({ sink: () => {} });
  const wanted = params.mode === 'cold' ? 1 : (params.ticks ?? MAX_TICKS);
  let sweeps = 0;
  for (let i = 0; i < wanted; i++) {
    clock.now = tickAt(i);
    const tick = await recordTick({ kv: kv.asKv(), config, log, scheduledTime: clock.now, nowMs: clock.now });
    if (tick.status !== 'done') throw new Error(`recorded tick ${i + 1} was ${tick.status}`);
    const finished = tick.snapshot.sweep?.finished_at === new Date(clock.now).toISOString();
    if (finished && ++sweeps === params.sweeps && params.ticks === undefined) return i + 1;
  }
  if (params.mode === 'warm' && params.ticks === undefined) {
    throw new Error(`no ${params.sweeps} sweeps within ${MAX_TICKS} ticks`);
  }
  return wanted;
}

async function importWorker(params: TickBenchParams): Promise<Worker> {
  return ((await import(params.workerModule)) as { default: Worker }).default;
}

function benchWarm(b: Bench, params: TickBenchParams, ticks: number, replay: ResponseReplay, worker: Worker) {
  const kv = new MemoryKv();
  const env = benchEnv(kv, params);
  const served: Uint8Array[][] = [];
  let tick = -1;
  b.run(
    'tick',
    async () => {
      await worker.scheduled(controller(tickAt(tick)), env, context);
    },
    {
      samples: ticks,
      warmup: 0,
      batch: 1,
      setup: () => {
        const bodies: Uint8Array[] = [];
        served[++tick] = bodies;
        globalThis.fetch = replay.replayer((body) => bodies.push(body));
      },
    },
  );
  let parsed = -1;
  let bodies: Uint8Array[] = [];
  b.run(
    'read-parse',
    async () => {
      // scheduled() logs and swallows a failed tick: a request the recording lacks fails the bench here.
      if (replay.misses > 0) throw new Error(`the replay missed ${replay.misses} requests`);
      for (const body of bodies) JSON.parse(await new Response(body).text());
    },
    {
      samples: ticks,
      warmup: 0,
      batch: 1,
      setup: () => {
        bodies = served[++parsed] ?? [];
      },
    },
  );
  let counted = false;
  b.run(
    'requests',
    () => {
      // Not a timing: the requests of each tick, for the driver (a case's name is all it reads back).
      if (!counted) console.log(`bench-requests ${JSON.stringify(served.map((s) => s.length))}`);
      counted = true;
    },
    ONE_SAMPLE,
  );
}

function benchCold(b: Bench, params: TickBenchParams, replay: ResponseReplay) {
  const kv = new MemoryKv();
  const env = benchEnv(kv, params);
  let worker: Worker | undefined;
  b.run(
    'import',
    async () => {
      worker = await importWorker(params);
    },
    ONE_SAMPLE,
  );
  b.run(
    'first-tick',
    async () => {
      await worker!.scheduled(controller(tickAt(0)), env, context);
      if (replay.misses > 0) throw new Error(`the replay missed ${replay.misses} requests`);
    },
    { ...ONE_SAMPLE, setup: () => (globalThis.fetch = replay.replayer(() => {})) },
  );
}

export default {
  async bench(b: Bench, env: { PARAMS: TickBenchParams }): Promise<void> {
    const params = env.PARAMS;
    const clock = { now: START_MS };
    const replay = new ResponseReplay();
    const ticks = await recordRun(params, clock, replay);
    if (params.mode === 'cold') {
      benchCold(b, params, replay);
      return;
    }
    const worker = await importWorker(params);
    // The warm-up, untimed: the whole sequence, each time on a KV of its own, until at least
    // WARMUP_TICKS ticks have run (an isolate that serves the cron has run many).
    globalThis.fetch = replay.replayer(() => {});
    for (let played = 0; played < WARMUP_TICKS; played += ticks) {
      const warmEnv = benchEnv(new MemoryKv(), params);
      for (let i = 0; i < ticks; i++) await worker.scheduled(controller(tickAt(i)), warmEnv, context);
    }
    benchWarm(b, params, ticks, replay, worker);
  },
};
