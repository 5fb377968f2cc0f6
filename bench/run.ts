/**
 * `npm run bench`: every benchmark, each reporting ratios to a baseline measured in the same run, and
 * at the end every goal with its figure and whether it is met. BENCH_ONLY=bundle,cold,http,tick runs a
 * subset; BENCH_SECONDS sets the HTTP load per target and round (default 6), BENCH_HTTP_ROUNDS the
 * rounds (default 3).
 */
import { goalVerdicts } from './bench-util';
import { benchBundleSize } from './bundle-size';
import { benchColdStart } from './cold-start';
import { benchHttpLoad } from './http-load';
import { benchTickCost } from './tick-cost';

const BENCHES: Record<string, () => Promise<void>> = {
  bundle: benchBundleSize,
  cold: async () => {
    await benchColdStart();
  },
  http: benchHttpLoad,
  tick: benchTickCost,
};

const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()) ?? Object.keys(BENCHES);
for (const name of only) {
  const bench = BENCHES[name];
  if (!bench) throw new Error(`unknown bench "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
  await bench();
}

const verdicts = goalVerdicts();
if (verdicts.length > 0) {
  console.log('\nGoals');
  for (const { goal, figure, met } of verdicts)
    console.log(`${met ? 'MET    ' : 'NOT MET'} ${goal} (${figure})`);
}
