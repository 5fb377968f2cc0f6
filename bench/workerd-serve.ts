/**
 * The tick bench's TickHost (bench/workerd/tick-bench.ts) under `workerd serve` instead of `workerd
 * bench`, driven step by step over HTTP: for the inspector's CPU profile (bench/profile-workerd.ts)
 * and for the OS clock of the whole process (bench/tick-ab.ts MODE=thread), which, unlike `workerd
 * bench`'s samples, also counts compiling the worker's script (workerd compiles every module of a
 * worker when it loads it, before the first sample).
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { COMPATIBILITY_DATE, hostWorker } from './tick-workerd';
import type { TickBenchParams } from './workerd/tick-bench';

const DRIVER = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const step = url.pathname.slice(1);
    if (step === 'record') return Response.json(await env.HOST.record(JSON.parse(env.PARAMS)));
    if (step === 'fresh') await env.HOST.fresh(url.searchParams.get('measured') === '1');
    else if (step === 'load') await env.HOST.load();
    else if (step === 'tick') await env.HOST.tick(Number(url.searchParams.get('i')));
    else return new Response('no such step', { status: 404 });
    return new Response('ok');
  },
};
`;

function capnp(params: TickBenchParams, port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "driver", worker = .driver), (name = "host", worker = .host) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "driver") ],
);
const driver :Workerd.Worker = (
  modules = [ (name = "driver.js", esModule = embed "driver.js") ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  bindings = [
    (name = "PARAMS", text = ${JSON.stringify(JSON.stringify(params))}),
    (name = "HOST", service = (name = "host", entrypoint = "TickHost")),
  ],
);
${hostWorker('')}`;
}

export interface ServedTickHost {
  pid: number;
  /** One step of the host: record, fresh?measured=0|1, load, tick?i=<n>. */
  step(path: string): Promise<string>;
  /**
   * CPU time of workerd's main thread so far, ms (/proc/<pid>/task/<pid>/schedstat): the thread that
   * runs the isolates (V8's background threads, which compile optimised code and help the garbage
   * collector, are left out, as they are from `workerd bench`'s samples).
   */
  threadCpuMs(): Promise<number>;
  stop(): void;
}

/** Serves `dir`'s builds (bench/tick-bench.js, worker/index.js) until stopped. */
export async function serveTickHost(
  dir: string,
  params: TickBenchParams,
  options: { port: number; inspectorPort?: number },
): Promise<ServedTickHost> {
  await writeFile(join(dir, 'driver.js'), DRIVER);
  await writeFile(join(dir, 'config.capnp'), capnp(params, options.port));
  const workerd = (createRequire(import.meta.url)('workerd') as { default: string }).default;
  const args = ['serve', join(dir, 'config.capnp')];
  if (options.inspectorPort) args.push(`--inspector-addr=127.0.0.1:${options.inspectorPort}`);
  const child = spawn(workerd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${options.port}`;
  const served: ServedTickHost = {
    pid: child.pid!,
    async step(path) {
      const response = await fetch(`${base}/${path}`);
      const text = await response.text();
      if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
      return text;
    },
    async threadCpuMs() {
      const schedstat = await readFile(`/proc/${child.pid}/task/${child.pid}/schedstat`, 'utf8');
      return Number(schedstat.split(' ')[0]) / 1e6;
    },
    stop: () => child.kill(),
  };
  for (let i = 0; i < 400; i++) {
    try {
      await fetch(`${base}/none`);
      return served;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  served.stop();
  throw new Error('workerd did not start');
}
