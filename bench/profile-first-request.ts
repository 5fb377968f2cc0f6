/**
 * A CPU profile of the worker's first HTTP request on a fresh isolate, in workerd (what `npm run
 * bench`'s cold start waits for besides workerd's own start): the app is imported and built on the
 * first request (src/index.ts), so attaching the inspector after the start still catches it. Summed
 * as bench/profile-workerd.ts does.
 *
 *   NODE_OPTIONS=--experimental-websocket npx tsx --import ./scripts/node-cloudflare-stub.mjs \
 *     bench/profile-first-request.ts [/docs]      (PROFILE_UNMINIFIED=1, PROFILE_FILES=1 as there)
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ASSETS_BINDING, ASSETS_SERVICE } from './cold-start';
import { wranglerEnv } from './bundle-size';
import { inspect, summarise, type Profile } from './profile-workerd';

const run = promisify(execFile);
const HTTP_PORT = 18_799;
const INSPECTOR_PORT = 18_798;

const path = process.argv[2] ?? '/docs';
const dir = await mkdtemp(join(tmpdir(), 'bench-first-request-'));
try {
  const minify = process.env.PROFILE_UNMINIFIED ? ['--no-minify'] : [];
  await run('npx', ['wrangler', 'deploy', '--dry-run', ...minify, '--outdir', join(dir, 'worker')], {
    env: wranglerEnv(),
    maxBuffer: 16 * 1024 * 1024,
  });
  await writeFile(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker), ${ASSETS_SERVICE} ],
  sockets = [ (name = "http", address = "127.0.0.1:${HTTP_PORT}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker/index.js") ],
  compatibilityDate = "2026-04-20",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [ ${ASSETS_BINDING} ],
);
`,
  );
  const workerd = (createRequire(import.meta.url)('workerd') as { default: string }).default;
  const child = spawn(
    workerd,
    ['serve', join(dir, 'config.capnp'), `--inspector-addr=127.0.0.1:${INSPECTOR_PORT}`],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    const inspector = await inspect(INSPECTOR_PORT, 'main');
    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.setSamplingInterval', { interval: 50 });
    await inspector.send('Profiler.start');
    const response = await fetch(`http://127.0.0.1:${HTTP_PORT}${path}`);
    console.log(`GET ${path}: ${response.status}, ${(await response.arrayBuffer()).byteLength} bytes`);
    const { profile } = (await inspector.send('Profiler.stop')) as { profile: Profile };
    inspector.close();
    await summarise(profile, join(dir, 'worker'));
  } finally {
    child.kill();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
