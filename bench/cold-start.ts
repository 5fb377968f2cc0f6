/**
 * Cold start: the time from spawning a fresh workerd process to the first answered request, for
 * webshare-ops and for the bare Hono worker, each built by the same `wrangler deploy --dry-run` and
 * served by the workerd that wrangler itself runs. Runs alternate (bare, ours, bare, ours, …) so load
 * from other processes on the machine falls on both alike; the medians and their ratio are reported.
 *
 * The first request is one that needs no KV or Durable Object (ours: GET /docs, bare: GET /), so
 * workerd runs each bundle with none behind it: what is timed is workerd starting, parsing and
 * evaluating the bundle's modules, building the app, and one answer. Ours reads its page from public/
 * through ASSETS, which a disk service of workerd's stands in for, as Cloudflare's assets do.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PROJECT_CONFIG, bareHonoCopy, buildBundle } from './bundle-size';
import { freePort, median, reportGoal, reportLine } from './bench-util';

const RUNS_PER_WORKER = 7;
/** Issue 25: a fresh process's first answer within 2.5× the bare Hono worker's. */
const COLD_START_RATIO_GOAL = 2.5;
const FIRST_ANSWER_TIMEOUT_MS = 30_000;
const POLL_MS = 2;

/** The workerd binary of the wrangler this project pins (the one `wrangler dev` runs). */
function workerdBinary(): string {
  const fromWrangler = createRequire(createRequire(import.meta.url).resolve('wrangler/package.json'));
  return (fromWrangler('workerd') as { default: string }).default;
}

/**
 * The project's static assets (wrangler.toml's [assets] directory) as workerd serves them: a disk
 * service, and the worker's ASSETS binding to it (capnp, for a services list and a bindings list).
 */
export const ASSETS_SERVICE = `(name = "assets", disk = (path = ${JSON.stringify(resolve('public'))}, writable = false))`;
export const ASSETS_BINDING = '(name = "ASSETS", service = "assets")';

function capnpConfig(port: number, compatibilityDate: string): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    ${ASSETS_SERVICE},
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "index.js", esModule = embed "index.js") ],
  compatibilityDate = "${compatibilityDate}",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [ ${ASSETS_BINDING} ],
);
`;
}

/** Milliseconds from spawning workerd to the first answer of `path` (any status but a 5xx). */
async function coldStartMs(binary: string, dir: string, path: string): Promise<number> {
  const port = await freePort();
  await writeFile(join(dir, 'config.capnp'), capnpConfig(port, '2026-04-20'));
  const started = performance.now();
  const child = spawn(binary, ['serve', join(dir, 'config.capnp')], { stdio: 'ignore', detached: true });
  try {
    const deadline = started + FIRST_ANSWER_TIMEOUT_MS;
    while (performance.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        await response.arrayBuffer();
        if (response.status >= 500) throw new Error(`workerd answered ${path} with ${response.status}`);
        return performance.now() - started;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('workerd answered')) throw error;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
    throw new Error(`workerd did not answer ${path} within ${FIRST_ANSWER_TIMEOUT_MS} ms`);
  } finally {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

export interface ColdStart {
  oursMs: number;
  bareMs: number;
  ratio: number;
}

export async function benchColdStart(): Promise<ColdStart> {
  const root = await mkdtemp(join(tmpdir(), 'bench-cold-'));
  const bare = await bareHonoCopy();
  try {
    const oursDir = join(root, 'ours');
    const bareDir = join(root, 'bare');
    await buildBundle(PROJECT_CONFIG, oursDir);
    await buildBundle(bare.config, bareDir);
    const binary = workerdBinary();
    const ours: number[] = [];
    const bareRuns: number[] = [];
    for (let run = 0; run < RUNS_PER_WORKER; run++) {
      bareRuns.push(await coldStartMs(binary, bareDir, '/'));
      ours.push(await coldStartMs(binary, oursDir, '/docs'));
    }
    const result = { oursMs: median(ours), bareMs: median(bareRuns), ratio: median(ours) / median(bareRuns) };
    console.log(
      `\nCold start (fresh workerd process → first answer; ${RUNS_PER_WORKER} alternating runs each, median)`,
    );
    console.log(
      `bare Hono GET /      ${result.bareMs.toFixed(0).padStart(5)} ms  (runs: ${bareRuns.map((v) => v.toFixed(0)).join(' ')})`,
    );
    console.log(
      `webshare-ops GET /docs ${result.oursMs.toFixed(0).padStart(3)} ms  (runs: ${ours.map((v) => v.toFixed(0)).join(' ')})`,
    );
    console.log(`ratio webshare-ops / bare Hono: ${result.ratio.toFixed(2)}×`);
    reportGoal(
      `cold start ≤ ${COLD_START_RATIO_GOAL}× bare Hono`,
      `${result.ratio.toFixed(2)}×`,
      result.ratio <= COLD_START_RATIO_GOAL,
    );
    reportLine(`cold-start-ratio=${result.ratio.toFixed(2)}`);
    return result;
  } finally {
    await bare.cleanup();
    await rm(root, { recursive: true, force: true });
  }
}
