/**
 * Tick CPU in workerd, the runtime the worker runs in: builds the worker as deployed (`wrangler deploy
 * --dry-run`) and the bench module (bench/workerd/tick-bench.ts), and runs `workerd bench` (the pinned
 * devDependency `workerd`) once per process wanted, which reports each tick's thread CPU time.
 *
 * For each size and dialect: a fresh install through two complete sweeps, one sample per tick; per
 * process the largest tick, the median tick and the median of reading and parsing each tick's bodies;
 * then the median of those over BENCH_PROCESSES processes (default 3: between workerd processes a
 * figure moves by up to 25 % on a shared VM, within one by ±2 %). The cold tick is a fresh process
 * per sample: evaluating the worker's modules, then its first scheduled().
 *
 * BENCH_TICK_SIZES, BENCH_TICK_APIS and BENCH_PROCESSES narrow or widen the run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from './bench-util';
import { PROJECT_CONFIG, buildBundle } from './bundle-size';
import type { TickBenchParams } from './workerd/tick-bench';
import type { WebshareDialect } from '../src/webshare/port';

export const COMPATIBILITY_DATE = '2026-04-20';
export const BENCH_MODULE = 'bench/workerd/tick-bench.ts';
const WORKER_MODULE = './worker.js';
const WORKERD_TIMEOUT_MS = 600_000;

export const TICK_SIZES = (process.env.BENCH_TICK_SIZES ?? '100,1000,10000,100000').split(',').map(Number);
export const TICK_DIALECTS = (process.env.BENCH_TICK_APIS ?? 'v1,v2').split(',') as WebshareDialect[];
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 3);
/** The account the cold tick is measured on. */
export const COLD_PROXIES = 1_000;

/** The workerd this project pins (devDependency), not the older one wrangler 4.86 runs. */
function workerdBinary(): string {
  return (createRequire(import.meta.url)('workerd') as { default: string }).default;
}

export interface WorkerdBuild {
  dir: string;
  cleanup: () => Promise<void>;
}

/** The deployed worker's bundle and the bench module's, side by side in a temporary directory. */
export async function buildTickBench(): Promise<WorkerdBuild> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-workerd-'));
  await buildBundle(PROJECT_CONFIG, join(dir, 'worker'));
  await buildBenchModule(resolve(BENCH_MODULE), dir);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The bench module at `modulePath` (a tick-bench.ts), bundled into `dir`/bench. */
export async function buildBenchModule(modulePath: string, dir: string): Promise<void> {
  const benchConfig = join(dir, 'bench-wrangler.toml');
  await writeFile(
    benchConfig,
    `name = "tick-bench"\nmain = "${modulePath}"\ncompatibility_date = "${COMPATIBILITY_DATE}"\ncompatibility_flags = ["nodejs_compat"]\n`,
  );
  await buildBundle(benchConfig, join(dir, 'bench'));
}

function capnpConfig(params: TickBenchParams): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [
  (name = "tick", worker = .bench),
  (name = "host", worker = .host),
] );
const bench :Workerd.Worker = (
  modules = [ (name = "bench.js", esModule = embed "../bench/tick-bench.js") ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [
    (name = "PARAMS", json = ${JSON.stringify(JSON.stringify(params))}),
    (name = "HOST", service = (name = "host", entrypoint = "TickHost")),
  ],
);
${hostWorker('../')}`;
}

/**
 * The capnp of the `host` worker: the bench module (its TickHost) and the worker's bundle, embedded
 * from `dir` (relative to the config file: a build's `bench/` and `worker/`).
 */
export function hostWorker(dir: string): string {
  return `const host :Workerd.Worker = (
  modules = [
    (name = "bench.js", esModule = embed "${dir}bench/tick-bench.js"),
    (name = "worker.js", esModule = embed "${dir}worker/index.js"),
  ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  compatibilityFlags = ["nodejs_compat"],
);
`;
}

interface BenchCase {
  name: string;
  status: string;
  cpuNs: { samples: number[] };
}

export interface WorkerdRun {
  /** Thread CPU ms of each sample, by case. */
  cpuMs: Map<string, number[]>;
  /** What the bench module logged (its `bench-requests` line among the worker's logs). */
  stdout: string;
}

/** One `workerd bench` process for `params`. */
export async function runWorkerdBench(build: WorkerdBuild, params: TickBenchParams): Promise<WorkerdRun> {
  const runDir = await mkdtemp(join(build.dir, 'run-'));
  const config = join(runDir, 'config.capnp');
  const output = join(runDir, 'results.json');
  await writeFile(config, capnpConfig(params));
  const stdout = await new Promise<string>((done, fail) => {
    const child = spawn(workerdBinary(), ['bench', '--format=json', '--output', output, config, 'tick'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: WORKERD_TIMEOUT_MS,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4_000)));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done(out) : fail(new Error(`workerd bench exited with ${code}:\n${err}`)),
    );
  });
  const report = JSON.parse(await readFile(output, 'utf8')) as { groups: { cases: BenchCase[] }[] };
  const cpuMs = new Map<string, number[]>();
  for (const benchCase of report.groups.flatMap((group) => group.cases)) {
    if (benchCase.status !== 'ok')
      throw new Error(`workerd bench case ${benchCase.name}: ${benchCase.status}`);
    cpuMs.set(
      benchCase.name,
      benchCase.cpuNs.samples.map((ns) => ns / 1e6),
    );
  }
  await rm(runDir, { recursive: true, force: true });
  return { cpuMs, stdout };
}

export interface WarmTicks {
  maxMs: number;
  medianMs: number;
  readParseMs: number;
  /** The median tick less a fresh install's first (which looks back through 72 hourly buckets). */
  steadyMedianMs: number;
  /** Webshare requests of each tick (of the last process). */
  requests: number[];
  /** Each tick's CPU ms (of the last process). */
  ticksMs: number[];
  /** The figures of each process, for the table. */
  perProcess: { maxMs: number; medianMs: number; readParseMs: number; steadyMedianMs: number }[];
}

function rawSamples(run: WorkerdRun, name: string): number[] {
  const samples = run.cpuMs.get(name);
  if (!samples) throw new Error(`workerd bench reported no case ${name}`);
  return samples;
}

/** A case's samples less the median empty call to the host (each sample is one such call). */
function samplesOf(run: WorkerdRun, name: string): number[] {
  const call = median(rawSamples(run, 'rpc'));
  return rawSamples(run, name).map((ms) => ms - call);
}

/** A fresh install through two sweeps (or `ticks` ticks), in `processes` workerd processes. */
export async function measureWarmTicks(
  build: WorkerdBuild,
  proxies: number,
  dialect: WebshareDialect,
  options: { vars?: Record<string, string>; ticks?: number; processes?: number } = {},
): Promise<WarmTicks> {
  const perProcess = [];
  let last: WorkerdRun | undefined;
  for (let p = 0; p < (options.processes ?? PROCESSES); p++) {
    last = await runWorkerdBench(build, {
      mode: 'warm',
      proxies,
      dialect,
      invalidShare: 0.05,
      sweeps: 2,
      vars: options.vars ?? {},
      ...(options.ticks === undefined ? {} : { ticks: options.ticks }),
      workerModule: WORKER_MODULE,
    });
    const ticks = samplesOf(last, 'tick');
    perProcess.push({
      maxMs: Math.max(...ticks),
      medianMs: median(ticks),
      readParseMs: median(samplesOf(last, 'read-parse')),
      steadyMedianMs: median(ticks.slice(1)),
    });
  }
  const requestsLine = /bench-requests (\[[\d,]*\])/.exec(last!.stdout);
  return {
    maxMs: median(perProcess.map((r) => r.maxMs)),
    medianMs: median(perProcess.map((r) => r.medianMs)),
    readParseMs: median(perProcess.map((r) => r.readParseMs)),
    steadyMedianMs: median(perProcess.map((r) => r.steadyMedianMs)),
    requests: requestsLine ? (JSON.parse(requestsLine[1]!) as number[]) : [],
    ticksMs: samplesOf(last!, 'tick'),
    perProcess,
  };
}

export interface ColdTick {
  /** Evaluating the worker's modules plus its first scheduled(), median of the processes. */
  ms: number;
  importMs: number;
  firstTickMs: number;
}

/** The bench's parameters for the first tick of a fresh install (`COLD_PROXIES`) on a fresh isolate. */
export function coldTickParams(dialect: WebshareDialect): TickBenchParams {
  return {
    mode: 'cold',
    proxies: COLD_PROXIES,
    dialect,
    invalidShare: 0.05,
    sweeps: 1,
    vars: {},
    workerModule: WORKER_MODULE,
  };
}

/** The first tick of a fresh install on a fresh isolate: one workerd process per sample. */
export async function measureColdTick(build: WorkerdBuild, dialect: WebshareDialect): Promise<ColdTick> {
  const runs = [];
  for (let p = 0; p < PROCESSES; p++) {
    const run = await runWorkerdBench(build, coldTickParams(dialect));
    const importMs = samplesOf(run, 'import')[0]!;
    const firstTickMs = samplesOf(run, 'first-tick')[0]!;
    runs.push({ ms: importMs + firstTickMs, importMs, firstTickMs });
  }
  return {
    ms: median(runs.map((r) => r.ms)),
    importMs: median(runs.map((r) => r.importMs)),
    firstTickMs: median(runs.map((r) => r.firstTickMs)),
  };
}

/** Runs `work` with the bundles built, and removes them after. */
export async function withTickBench<T>(work: (build: WorkerdBuild) => Promise<T>): Promise<T> {
  const build = await buildTickBench();
  try {
    return await work(build);
  } finally {
    await build.cleanup();
  }
}
