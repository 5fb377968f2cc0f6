/**
 * `npm run bench`: every benchmark, each reporting ratios to a baseline measured in the same run.
 * BENCH_ONLY=bundle,http,tick runs a subset; BENCH_SECONDS sets the HTTP load per target (default 10).
 */
import { benchBundleSize } from './bundle-size';
import { benchHttpLoad } from './http-load';
import { benchTickCost } from './tick-cost';

const BENCHES: Record<string, () => Promise<void>> = {
  bundle: benchBundleSize,
  http: benchHttpLoad,
  tick: benchTickCost,
};

const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()) ?? Object.keys(BENCHES);
for (const name of only) {
  const bench = BENCHES[name];
  if (!bench) throw new Error(`unknown bench "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
  await bench();
}
