/**
 * A/B of the tick in workerd: the cold tick (or, with WARM=<proxies>, warm ticks) of several workers,
 * each given by its wrangler.toml (e.g. a copy of the tree at another commit: `git archive`), one
 * workerd process per sample, the workers alternating so that the shared VM's load falls on each
 * alike; medians. Between two separate runs of `npm run bench` the figures move by up to 40 %.
 *
 *   npx tsx --import ./scripts/node-cloudflare-stub.mjs bench/tick-ab.ts /tmp/base/wrangler.toml wrangler.toml
 *   ROUNDS (default 5), DIALECTS (default v1,v2), WARM (proxies; unset: the cold tick)
 *
 * MODE=thread: the cold tick by the OS clock of the whole workerd process (bench/workerd-serve.ts)
 * instead of `workerd bench`'s samples, which miss compiling the worker's script: `ready` is the
 * process's CPU from spawn to serving (workerd's start, compiling every module), `cold` evaluating
 * the worker's modules and its first tick. Give a trivial worker first (bench/fixtures/noop-tick/):
 * each worker's figures are then also printed less the first's.
 */
import { cp } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { median } from './bench-util';
import { buildBundle } from './bundle-size';
import {
  BENCH_MODULE,
  buildBenchModule,
  coldTickParams,
  measureColdTick,
  measureWarmTicks,
  withTickBench,
  type WorkerdBuild,
} from './tick-workerd';
import { serveTickHost } from './workerd-serve';

const configs = process.argv.slice(2);
const rounds = Number(process.env.ROUNDS ?? 5);
const warm = process.env.WARM ? Number(process.env.WARM) : undefined;
const dialects = (process.env.DIALECTS ?? 'v1,v2').split(',') as ('v1' | 'v2')[];
const THREAD_PORT = 18_797;

/** The cold tick by the process's OS clock: CPU ms to serve, then to load the worker and tick once. */
async function threadCold(
  build: WorkerdBuild,
  dialect: 'v1' | 'v2',
): Promise<{ ready: number; cold: number }> {
  const host = await serveTickHost(build.dir, coldTickParams(dialect), { port: THREAD_PORT });
  try {
    const ready = await host.threadCpuMs();
    await host.step('record');
    await host.step('fresh?measured=1');
    const before = await host.threadCpuMs();
    await host.step('load');
    await host.step('tick?i=0');
    return { ready, cold: (await host.threadCpuMs()) - before };
  } finally {
    host.stop();
    await new Promise((r) => setTimeout(r, 100));
  }
}
await withTickBench(async (bench) => {
  const builds: WorkerdBuild[] = [];
  for (const [i, config] of configs.entries()) {
    const dir = join(bench.dir, `w${i}`);
    await buildBundle(config, join(dir, 'worker'));
    // Warm ticks replay what each tree's own code recorded: two trees whose ticks send different
    // requests (a changed CPU model, a smaller state) cannot share one recording.
    if (warm === undefined) await cp(join(bench.dir, 'bench'), join(dir, 'bench'), { recursive: true });
    else await buildBenchModule(join(dirname(resolve(config)), BENCH_MODULE), dir);
    builds.push({ dir, cleanup: async () => {} });
  }
  const results = configs.map(() => ({}) as Record<string, number[]>);
  for (let r = 0; r < rounds; r++) {
    for (const [i, build] of builds.entries()) {
      for (const dialect of dialects) {
        let figures: Record<string, number>;
        if (process.env.MODE === 'thread') {
          const { ready, cold } = await threadCold(build, dialect);
          figures = {
            [`${dialect}-ready`]: ready,
            [`${dialect}-cold`]: cold,
            [`${dialect}-sum`]: ready + cold,
          };
        } else if (warm === undefined) {
          const cold = await measureColdTick(build, dialect);
          figures = {
            [dialect]: cold.ms,
            [`${dialect}-import`]: cold.importMs,
            [`${dialect}-first`]: cold.firstTickMs,
          };
        } else {
          const ticks = await measureWarmTicks(build, warm, dialect, { processes: 1 });
          figures = {
            [`${dialect}-median`]: ticks.medianMs,
            [`${dialect}-max`]: ticks.maxMs,
            [`${dialect}-rp`]: ticks.readParseMs,
          };
        }
        for (const [k, v] of Object.entries(figures)) (results[i]![k] ??= []).push(v);
      }
    }
  }
  for (const [i, figures] of results.entries()) {
    console.log(
      configs[i],
      Object.entries(figures)
        .map(([k, v]) => `${k}=${median(v).toFixed(2)}`)
        .join(' '),
    );
    if (process.env.MODE === 'thread' && i > 0) {
      const less = Object.entries(figures).map(
        ([k, v]) => `${k}=${(median(v) - median(results[0]![k]!)).toFixed(2)}`,
      );
      console.log(`  less the first: ${less.join(' ')}`);
    }
  }
});
