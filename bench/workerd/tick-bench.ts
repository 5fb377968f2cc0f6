/**
 * The tick bench that runs inside workerd (`workerd bench`; bench/tick-workerd.ts builds it and reads
 * the results). What is timed is the worker as deployed: the `wrangler deploy --dry-run` bundle,
 * imported by name and called through its `scheduled()` handler, as the cron trigger calls it. workerd
 * reports each sample's thread CPU time.
 *
 * This module runs as two services of one workerd process: `TickHost` holds the worker, the recording
 * and the KV, and the bench calls it over a service binding (RPC), one call per tick: each tick then
 * runs in a request context of its own, as a cron event does (in one context, the ticks' request
 * timeouts pile up to workerd's 10,000 active timers within ~30 ticks of 50 requests). An empty call
 * (case `rpc`) measures what the call itself costs; the driver subtracts it.
 *
 * - warm: the simulator's responses for a fresh install through `sweeps` complete sweeps are recorded
 *   (with recordTick, in this bundle's own copy of the code), the sequence is played through the worker
 *   untimed (so its code is compiled, as in an isolate that has run ticks before), then played again on
 *   an empty KV, one tick per sample (case `tick`). Case `read-parse` then reads each tick's bodies
 *   from a Response and parses them: the baseline, per tick.
 * - cold: the first tick of a fresh install on a fresh isolate: case `import` evaluates the worker's
 *   modules, case `first-tick` runs its first scheduled(). One sample each: one process per sample.
 *
 * KV is in memory (bench/memory-kv.ts) and there are no Durable Object bindings: the tick then runs
 * without the poll lock and the rate gate, as the code allows.
 */
import { createSimulator } from '../../sim';
import { loadConfig } from '../../src/config';
import { recordTick } from '../../src/cycle/record';
import type { Env } from '../../src/env';
import { createLogger } from '../../src/lib/log';
import type { WebshareDialect } from '../../src/webshare/port';
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

import { WorkerEntrypoint } from 'cloudflare:workers';

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

/** Records the simulator's answers to `params`' ticks; returns the requests of each tick. */
async function recordRun(
  params: TickBenchParams,
  clock: { now: number },
  replay: ResponseReplay,
): Promise<number[]> {
  const sim = createSimulator({
    apiKey: API_KEY,
    proxyCount: params.proxies,
    now: () => clock.now,
    apiVersion: params.dialect,
  });
  sim.control.invalidate(Math.round(params.proxies * params.invalidShare));
  let requests = 0;
  const record = replay.recorder(sim.fetch);
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    requests++;
    return record(input, init);
  }) as typeof fetch;
  const perTick: number[] = [];
  const kv = new MemoryKv();
  const config = await loadConfig(benchEnv(kv, params));
  const log = createLogger({ sink: () => {} });
  const wanted = params.mode === 'cold' ? 1 : (params.ticks ?? MAX_TICKS);
  let sweeps = 0;
  for (let i = 0; i < wanted; i++) {
    clock.now = tickAt(i);
    requests = 0;
    const tick = await recordTick({ kv: kv.asKv(), config, log, scheduledTime: clock.now, nowMs: clock.now });
    if (tick.status !== 'done') throw new Error(`recorded tick ${i + 1} was ${tick.status}`);
    perTick.push(requests);
    const finished = tick.snapshot.sweep?.finished_at === new Date(clock.now).toISOString();
    if (finished && ++sweeps === params.sweeps && params.ticks === undefined) return perTick;
  }
  if (params.mode === 'warm' && params.ticks === undefined) {
    throw new Error(`no ${params.sweeps} sweeps within ${MAX_TICKS} ticks`);
  }
  return perTick;
}

async function importWorker(params: TickBenchParams): Promise<Worker> {
  return ((await import(params.workerModule)) as { default: Worker }).default;
}

/** The worker, its recorded responses and its KV, in the host's isolate; one method call per step. */
export class TickHost extends WorkerEntrypoint {
  private static params: TickBenchParams;
  private static replay = new ResponseReplay();
  private static worker: Worker | undefined;
  private static env: Env | undefined;
  private static kv = new MemoryKv();
  /** The bodies each measured tick was served, for the baseline. */
  private static served: Uint8Array[][] = [];
  /** The requests of each recorded tick. */
  private static recorded: number[] = [];

  /** Records the run (a cold run: its first tick only); returns its ticks. */
  async record(params: TickBenchParams): Promise<number> {
    TickHost.params = params;
    TickHost.recorded = await recordRun(params, { now: START_MS }, TickHost.replay);
    TickHost.replay.seal();
    return TickHost.recorded.length;
  }

  /**
   * Starts a run of ticks on an empty KV; `measured` keeps each tick's bodies for the baseline. The
   * env stays the same object, as workerd hands every event of an isolate the same env: the worker's
   * config, parsed once per env (configFor), is then parsed by the warm-up, not by a measured tick.
   */
  async fresh(measured: boolean): Promise<void> {
    TickHost.kv.data.clear();
    TickHost.env ??= benchEnv(TickHost.kv, TickHost.params);
    if (measured) TickHost.served = [];
  }

  /** Evaluates the worker's modules (the first call on an isolate is the cold part). */
  async load(): Promise<void> {
    TickHost.worker ??= await importWorker(TickHost.params);
  }

  async tick(index: number): Promise<void> {
    const bodies: Uint8Array[] = [];
    TickHost.served[index] = bodies;
    globalThis.fetch = TickHost.replay.replayer((body) => bodies.push(body));
    await TickHost.worker!.scheduled(controller(tickAt(index)), TickHost.env!, context);
    // scheduled() logs and swallows a failed tick: a request the recording lacks fails the bench here.
    if (TickHost.replay.misses > 0) throw new Error(`the replay missed ${TickHost.replay.misses} requests`);
  }

  /** The baseline: reading the bodies measured tick `index` fetched from a Response, and parsing them. */
  async readParse(index: number): Promise<void> {
    for (const body of TickHost.served[index] ?? []) JSON.parse(await new Response(body).text());
  }

  /**
   * Requests of each measured tick. A tick that fails inside the worker is logged and swallowed by
   * scheduled() (a workerd limit, say): one that asked for fewer requests than recorded fails here.
   */
  async requests(): Promise<number[]> {
    const served = TickHost.served.map((bodies) => bodies.length);
    const differs = served.findIndex((count, i) => count !== TickHost.recorded[i]);
    if (differs >= 0) {
      throw new Error(
        `tick ${differs + 1} made ${served[differs]} requests, ${TickHost.recorded[differs]} when recorded`,
      );
    }
    return served;
  }

  async nothing(): Promise<void> {}
}

type Host = Pick<TickHost, 'record' | 'fresh' | 'load' | 'tick' | 'readParse' | 'requests' | 'nothing'>;

/** One case of `samples` calls, the n-th (from 0) calling `call(n)`. */
function eachSample(b: Bench, name: string, samples: number, call: (n: number) => Promise<unknown>) {
  let n = -1;
  let current = 0;
  // Awaited here: an RPC call returns a thenable that is not a Promise, which the harness does not wait for.
  b.run(
    name,
    async () => {
      await call(current);
    },
    {
      samples,
      warmup: 0,
      batch: 1,
      setup: () => {
        current = ++n;
      },
    },
  );
}

export default {
  async bench(b: Bench, env: { PARAMS: TickBenchParams; HOST: Host }): Promise<void> {
    const host = env.HOST;
    const ticks = await host.record(env.PARAMS);
    eachSample(b, 'rpc', ticks, () => host.nothing());
    if (env.PARAMS.mode === 'cold') {
      await host.fresh(true);
      eachSample(b, 'import', 1, () => host.load());
      eachSample(b, 'first-tick', 1, () => host.tick(0));
      return;
    }
    await host.load();
    // The warm-up, untimed: the whole sequence, each time on a KV of its own, until at least
    // WARMUP_TICKS ticks have run (an isolate that serves the cron has run many).
    for (let played = 0; played < WARMUP_TICKS; played += ticks) {
      await host.fresh(false);
      for (let i = 0; i < ticks; i++) await host.tick(i);
    }
    await host.fresh(true);
    eachSample(b, 'tick', ticks, (i) => host.tick(i));
    eachSample(b, 'read-parse', ticks, (i) => host.readParse(i));
    let reported = false;
    eachSample(b, 'requests', 1, async () => {
      // Not a timing: the requests of each tick, for the driver, which reads them from the output.
      if (!reported) console.log(`bench-requests ${JSON.stringify(await host.requests())}`);
      reported = true;
    });
  },
};
