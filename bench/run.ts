/**
 * `npm run bench`: every benchmark, each reporting ratios to a baseline measured in the same run, and
 * at the end every goal with its figure and whether it is met, then the `key=value` lines.
 * BENCH_ONLY=bundle,cold,http,tick-workerd runs a subset (`tick-node` adds the older Node tick bench,
 * which is not run by default); BENCH_SECONDS sets the HTTP load per target and round (default 6),
 * BENCH_HTTP_ROUNDS the rounds (default 3); see docs/performance.md for the tick's variables.
 */
import { goalVerdicts, reportedLines } from './bench-util';
import { benchBundleSize } from './bundle-size';
import { benchColdStart } from './cold-start';
import { benchHttpLoad } from './http-load';
import { benchTickCost } from './tick-cost';
import { benchTickCpuWorkerd } from './tick-cpu-workerd';

const BENCHES: Record<string, () => Promise<void>> = {
  bundle: benchBundleSize,
  cold: async () => {
    await benchColdStart();
  },
  http: benchHttpLoad,
  'tick-workerd': benchTickCpuWorkerd,
  'tick-node': benchTickCost,
};
/** The Node tick bench only explains (reading a Response costs more in Node than in workerd). */
const DEFAULT = ['bundle', 'cold', 'http', 'tick-workerd'];

const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()) ?? DEFAULT;
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

const lines = reportedLines();
if (lines.length > 0) console.log(`\n${lines.join('\n')}`);
