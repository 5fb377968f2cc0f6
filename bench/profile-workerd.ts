/**
 * A CPU profile of the tick inside workerd, through its inspector (issue 25): where a cold tick (a
 * fresh isolate: evaluating the worker's modules, then its first scheduled()) or warm ticks spend
 * their time. The worker is the deployed bundle (`wrangler deploy --dry-run`), driven by the same
 * TickHost as `npm run bench` (bench/workerd/tick-bench.ts), under `workerd serve --inspector-addr`.
 * Self time is attributed to the source file of each function (the bundle's source map), and the top
 * functions are listed by their source position.
 *
 * `npx tsx bench/profile-workerd.ts cold|warm [v1|v2] [proxies]` (node ≥ 20.10 with
 * `--experimental-websocket`: `NODE_OPTIONS=--experimental-websocket`). PROFILE_OUT=<file> keeps the
 * .cpuprofile (open it in Chrome DevTools).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeMappings, groupOf } from './bundle-breakdown';
import { wranglerEnv } from './bundle-size';
import { withTickBench } from './tick-workerd';
import { serveTickHost } from './workerd-serve';
import type { TickBenchParams } from './workerd/tick-bench';
import type { WebshareDialect } from '../src/webshare/port';

const run = promisify(execFile);
const HTTP_PORT = 18_787;
const INSPECTOR_PORT = 18_788;
/** Warm mode: ticks played before the profiler starts, then profiled rounds of the whole sequence. */
const WARMUP_ROUNDS = 3;
const PROFILED_ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 5);

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
  /** Samples by line (1-based) of the function: how a bundle's top-level code is told apart. */
  positionTicks?: { line: number; ticks: number }[];
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket (waits for workerd to listen). */
export async function inspect(port: number, service: string) {
  let listing: Response | undefined;
  for (let i = 0; i < 400 && !listing; i++) {
    listing = await fetch(`http://127.0.0.1:${port}/json/list`).catch(async () => {
      await new Promise((r) => setTimeout(r, 25));
      return undefined;
    });
  }
  if (!listing) throw new Error('workerd inspector did not start');
  const targets = (await listing.json()) as {
    title: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.title === service) ?? targets.at(-1)!;
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve);
    ws.addEventListener('error', reject);
  });
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  return {
    send: (method: string, params: object = {}) =>
      new Promise<unknown>((resolve) => {
        waiting.set(++id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** Self time by source file (through the worker's source map) and the top functions. */
export async function summarise(profile: Profile, workerDir: string): Promise<void> {
  const map = JSON.parse(await readFile(join(workerDir, 'index.js.map'), 'utf8')) as {
    sources: string[];
    mappings: string;
  };
  const lines = decodeMappings(map.mappings);
  const sourceAt = (line: number, column: number): string => {
    const segs = lines[line] ?? [];
    let found = -1;
    for (const [col, source] of segs) {
      if (col > column) break;
      if (source >= 0) found = source;
    }
    return found >= 0 ? map.sources[found]! : 'unmapped';
  };
  const selfUs = new Map<number, number>();
  profile.samples.forEach((node, i) =>
    selfUs.set(node, (selfUs.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const byGroup = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    total += us;
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    let group: string;
    let name: string;
    if (url.endsWith('worker.js') && node.positionTicks?.length && process.env.PROFILE_LINES) {
      // Unminified bundle (PROFILE_UNMINIFIED): each line is one source's, so top-level code splits by module.
      const ticks = node.positionTicks.reduce((sum, p) => sum + p.ticks, 0);
      for (const p of node.positionTicks) {
        const source = sourceAt(p.line - 1, 0).replace(/^.*?(src\/|node_modules\/)/, '$1');
        const share = (us * p.ticks) / ticks;
        const key = `worker: ${source}`;
        byGroup.set(key, (byGroup.get(key) ?? 0) + share);
        const fn = `${functionName || '(anonymous)'} ${source}:${p.line}`;
        byFunction.set(fn, (byFunction.get(fn) ?? 0) + share);
      }
      continue;
    }
    if (url.endsWith('worker.js')) {
      const source = sourceAt(lineNumber, columnNumber);
      group = `worker: ${process.env.PROFILE_FILES ? source.replace(/^.*?(src\/|node_modules\/)/, '$1') : groupOf(source)}`;
      name = `${functionName || '(anonymous)'} ${source.replace(/^.*?(src\/|node_modules\/)/, '$1')}`;
    } else if (url.endsWith('bench.js')) {
      group = 'bench module (driver, replay, baseline)';
      name = `${functionName} bench.js`;
    } else {
      group = functionName.startsWith('(') ? functionName : `runtime: ${functionName || url || '(native)'}`;
      name = group;
    }
    byGroup.set(group, (byGroup.get(group) ?? 0) + us);
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const print = (title: string, entries: Map<string, number>, top: number) => {
    console.log(`\n${title}`);
    for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(
        `${(us / 1000).toFixed(2).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`,
      );
    }
  };
  console.log(`profiled ${(total / 1000).toFixed(2)} ms of samples`);
  print('self time by source', byGroup, 30);
  print('self time by function', byFunction, 40);
}

async function main(): Promise<void> {
  const mode = (process.argv[2] ?? 'cold') as 'cold' | 'warm';
  const dialect = (process.argv[3] ?? 'v1') as WebshareDialect;
  const proxies = Number(process.argv[4] ?? 1_000);
  if (typeof WebSocket === 'undefined') throw new Error('run with NODE_OPTIONS=--experimental-websocket');
  await withTickBench(async (build) => {
    if (process.env.PROFILE_UNMINIFIED) {
      await run(
        'npx',
        ['wrangler', 'deploy', '--dry-run', '--no-minify', '--outdir', join(build.dir, 'worker')],
        {
          env: wranglerEnv(),
          maxBuffer: 16 * 1024 * 1024,
        },
      );
    }
    const params: TickBenchParams = {
      mode,
      proxies,
      dialect,
      invalidShare: 0.05,
      sweeps: mode === 'cold' ? 1 : 2,
      vars: {},
      workerModule: './worker.js',
    };
    const host = await serveTickHost(build.dir, params, { port: HTTP_PORT, inspectorPort: INSPECTOR_PORT });
    const step = host.step;
    try {
      const ticks = Number(await step('record'));
      const inspector = await inspect(INSPECTOR_PORT, 'host');
      await inspector.send('Profiler.enable');
      await inspector.send('Profiler.setSamplingInterval', { interval: 50 });
      if (mode === 'cold') {
        // PROFILE_PHASE=load or tick profiles one of the two (default: both).
        const phase = process.env.PROFILE_PHASE;
        await step('fresh?measured=1');
        if (phase === 'tick') await step('load');
        await inspector.send('Profiler.start');
        if (phase !== 'tick') await step('load');
        if (phase !== 'load') await step('tick?i=0');
      } else {
        await step('load');
        for (let round = 0; round < WARMUP_ROUNDS; round++) {
          await step('fresh?measured=0');
          for (let i = 0; i < ticks; i++) await step(`tick?i=${i}`);
        }
        await inspector.send('Profiler.start');
        for (let round = 0; round < PROFILED_ROUNDS; round++) {
          await step('fresh?measured=0');
          for (let i = 0; i < ticks; i++) await step(`tick?i=${i}`);
        }
      }
      const { profile } = (await inspector.send('Profiler.stop')) as { profile: Profile };
      inspector.close();
      if (process.env.PROFILE_OUT) await writeFile(process.env.PROFILE_OUT, JSON.stringify(profile));
      console.log(
        `${mode} ${dialect} ${proxies} proxies, ${mode === 'cold' ? 1 : ticks * PROFILED_ROUNDS} ticks`,
      );
      await summarise(profile, join(build.dir, 'worker'));
    } finally {
      host.stop();
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
