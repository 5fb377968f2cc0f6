/**
 * A/B of the tick in workerd: the cold tick (or, with WARM=<proxies>, warm ticks) of several workers,
 * each given by its wrangler.toml (e.g. a copy of the tree at another commit: `git archive`), one
 * workerd process per sample, the workers alternating so that the shared VM's load falls on each
 * alike; medians. Between two separate runs of `npm run bench` the figures move by up to 40 %.
 *
 *   npx tsx --import ./scripts/node-cloudflare-stub.mjs bench/tick-ab.ts /tmp/base/wrangler.toml wrangler.toml
 *   ROUNDS (default 5), DIALECTS (default v1,v2), WARM (proxies; unset: the cold tick)
 */
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { median } from './bench-util';
import { buildBundle } from './bundle-size';
import { measureColdTick, measureWarmTicks, withTickBench, type WorkerdBuild } from './tick-workerd';

const configs = process.argv.slice(2);
const rounds = Number(process.env.ROUNDS ?? 5);
const warm = process.env.WARM ? Number(process.env.WARM) : undefined;
const dialects = (process.env.DIALECTS ?? 'v1,v2').split(',') as ('v1' | 'v2')[];
await withTickBench(async (bench) => {
  const builds: WorkerdBuild[] = [];
  for (const [i, config] of configs.entries()) {
    const dir = join(bench.dir, `w${i}`);
    await buildBundle(config, join(dir, 'worker'));
    await cp(join(bench.dir, 'bench'), join(dir, 'bench'), { recursive: true });
    builds.push({ dir, cleanup: async () => {} });
  }
  const results = configs.map(() => ({}) as Record<string, number[]>);
  for (let r = 0; r < rounds; r++) {
    for (const [i, build] of builds.entries()) {
      for (const dialect of dialects) {
        let figures: Record<string, number>;
        if (warm === undefined) {
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
  }
});
