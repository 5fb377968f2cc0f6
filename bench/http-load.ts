/**
 * HTTP under load: `wrangler dev` serving webshare-ops and a bare Hono hello-world on loopback ports,
 * autocannon against each (concurrency 50, BENCH_SECONDS per target, default 10), and requests/s and
 * p99 latency reported as ratios to the bare worker measured in the same run.
 *
 * Ours is seeded first: the Webshare simulator runs in this process on a loopback port, one
 * `POST /v1/poll` gives `/v1/status` a snapshot, and a pool of signed `customer.created` deliveries
 * provisions its customers once. The load then replays that pool, as senders retrying a delivery do:
 * signature check, JSON and zod, and the customer's Durable Object answering from its record. (Fresh
 * provisioning is bound by Webshare's 180 requests/minute, so it is not something to load-test.)
 *
 * Every child process is started in its own process group and killed at the end, even on failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { Webhook } from 'standardwebhooks';
import { createSimulator } from '../sim';
import { PROJECT_CONFIG, bareHonoCopy, wranglerEnv } from './bundle-size';

const LOOPBACK = '127.0.0.1';
const CONNECTIONS = 50;
const DEFAULT_BENCH_SECONDS = 10;
const READY_TIMEOUT_MS = 90_000;
const READY_POLL_MS = 250;
const WARMUP_SECONDS = 2;
const SIGNUP_POOL_SIZE = 20;
const KILL_GRACE_MS = 3_000;

const API_KEY = 'bench-webshare-key-000000';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const SIGNUP_SECRET = 'whsec_' + Buffer.from('bench-signup-secret-0123456789ab').toString('base64');
const PLANS = { starter: { proxy_limit: 5, max_thread_count: 50 } };

interface Target {
  name: string;
  url: string;
  requests?: AutocannonRequest[];
  headers?: Record<string, string>;
}

interface LoadResult {
  name: string;
  rps: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

const children = new Set<ChildProcess>();

function benchSeconds(): number {
  const raw = Number(process.env.BENCH_SECONDS ?? DEFAULT_BENCH_SECONDS);
  return Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_BENCH_SECONDS;
}

function killChild(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return Promise.resolve();
  }
  const pid = child.pid;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      resolve();
    }, KILL_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      // The whole group: npx → wrangler → workerd.
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** Last resort if the process dies without reaching `finally`. */
function killChildrenSync(): void {
  for (const child of children) {
    if (child.pid === undefined) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
process.once('exit', killChildrenSync);

/** Ctrl-C during a run: Node would exit without 'exit' handlers, leaving workerd behind. */
function onSignal(signal: NodeJS.Signals): void {
  killChildrenSync();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/** A loopback port nobody listens on now, so the readiness probe can only reach our own worker. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startWranglerDev(
  config: string,
  port: number,
  inspectorPort: number,
  vars: Record<string, string>,
  persistTo: string,
): Promise<ChildProcess> {
  const args = [
    'wrangler',
    'dev',
    '--config',
    config,
    '--ip',
    LOOPBACK,
    '--port',
    String(port),
    '--inspector-port',
    String(inspectorPort),
    '--persist-to',
    persistTo,
    '--show-interactive-dev-session=false',
    '--log-level',
    'warn',
  ];
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  const child = spawn('npx', args, { env: wranglerEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev for ${config} exited:\n${output}`);
    try {
      await fetch(`http://${LOOPBACK}:${port}/`);
      return child;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  }
  throw new Error(`wrangler dev for ${config} did not answer within ${READY_TIMEOUT_MS} ms:\n${output}`);
}

async function startSimulator(): Promise<{ server: ServerType; origin: string }> {
  const sim = createSimulator({
    apiKey: API_KEY,
    proxyCount: 100,
    now: Date.now,
    origin: 'http://placeholder',
  });
  const server = await new Promise<ServerType>((resolve) => {
    const started = serve({ hostname: LOOPBACK, port: 0, fetch: (request) => sim.fetch(request) }, () =>
      resolve(started),
    );
  });
  return { server, origin: `http://${LOOPBACK}:${(server.address() as AddressInfo).port}` };
}

function signupPool(): AutocannonRequest[] {
  const webhook = new Webhook(SIGNUP_SECRET);
  const signedAt = new Date();
  return Array.from({ length: SIGNUP_POOL_SIZE }, (_, i) => {
    const id = `msg_bench_${signedAt.getTime()}_${i}`;
    const body = JSON.stringify({
      type: 'customer.created',
      timestamp: signedAt.toISOString(),
      data: { customer_id: `cus_bench_${signedAt.getTime()}_${i}`, plan: 'starter' },
    });
    return {
      method: 'POST',
      path: '/hooks/signup',
      headers: {
        'Content-Type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
        'webhook-signature': webhook.sign(id, signedAt, body),
      },
      body,
    };
  });
}

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${await response.text()}`);
}

async function seedOurs(base: string, pool: AutocannonRequest[]): Promise<void> {
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const poll = await fetch(`${base}/v1/poll`, { method: 'POST', headers: auth });
  await expectOk(poll, 'POST /v1/poll');
  const tick = (await poll.json()) as { status?: string; errors?: unknown[] };
  if (tick.status !== 'done' || tick.errors?.length) {
    throw new Error(`the seeding tick did not complete cleanly: ${JSON.stringify(tick).slice(0, 500)}`);
  }
  await expectOk(await fetch(`${base}/v1/status`, { headers: auth }), 'GET /v1/status');
  for (const request of pool) {
    const response = await fetch(`${base}${request.path}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    await expectOk(response, 'POST /hooks/signup (seeding)');
  }
}

async function load(target: Target, seconds: number): Promise<LoadResult> {
  const options = {
    url: target.url,
    connections: CONNECTIONS,
    headers: target.headers,
    requests: target.requests,
  };
  await autocannon({ ...options, duration: WARMUP_SECONDS });
  const result = await autocannon({ ...options, duration: seconds });
  return {
    name: target.name,
    rps: result.requests.average,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

function report(results: LoadResult[], baseline: LoadResult, seconds: number): void {
  console.log(
    `\nHTTP under load (wrangler dev on loopback, autocannon ${CONNECTIONS} connections, ${seconds} s per target)`,
  );
  console.log(
    'target                        | req/s   | p99 ms | req/s ratio to bare | p99 ratio to bare | non-2xx | errors',
  );
  for (const r of results) {
    console.log(
      [
        r.name.padEnd(29),
        r.rps.toFixed(0).padStart(7),
        String(r.p99Ms).padStart(6),
        `${(r.rps / baseline.rps).toFixed(2)}×`.padStart(19),
        `${(r.p99Ms / Math.max(baseline.p99Ms, 1)).toFixed(2)}×`.padStart(17),
        String(r.non2xx).padStart(7),
        String(r.errors).padStart(6),
      ].join(' | '),
    );
  }
}

export async function benchHttpLoad(): Promise<void> {
  const seconds = benchSeconds();
  const persistTo = await mkdtemp(join(tmpdir(), 'bench-http-'));
  let simulator: { server: ServerType; origin: string } | undefined;
  const started: ChildProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    simulator = await startSimulator();
    // One worker at a time: two workerd processes on two shared cores would measure each other.
    const barePort = await freePort();
    const bareBase = `http://${LOOPBACK}:${barePort}`;
    const bareHono = await bareHonoCopy();
    cleanups.push(bareHono.cleanup);
    const bare = await startWranglerDev(bareHono.config, barePort, await freePort(), {}, persistTo);
    started.push(bare);
    const baseline = await load({ name: 'bare Hono GET /', url: `${bareBase}/` }, seconds);
    await killChild(bare);

    const oursPort = await freePort();
    const base = `http://${LOOPBACK}:${oursPort}`;
    const ours = await startWranglerDev(
      PROJECT_CONFIG,
      oursPort,
      await freePort(),
      {
        WEBSHARE_API_KEY: API_KEY,
        WEBSHARE_API_BASE_URL: simulator.origin,
        ADMIN_TOKEN,
        SIGNUP_WEBHOOK_SECRET: SIGNUP_SECRET,
        PLANS: JSON.stringify(PLANS),
      },
      join(persistTo, 'ours'),
    );
    started.push(ours);
    const pool = signupPool();
    await seedOurs(base, pool);
    const status = await load(
      {
        name: 'GET /v1/status (auth)',
        url: `${base}/v1/status`,
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      },
      seconds,
    );
    const signup = await load(
      { name: 'POST /hooks/signup (signed)', url: `${base}/hooks/signup`, requests: pool },
      seconds,
    );
    report([baseline, status, signup], baseline, seconds);
    const failures = [baseline, status, signup].filter((r) => r.non2xx > 0 || r.errors > 0);
    if (failures.length > 0) console.log(`NOT zero errors: ${failures.map((r) => r.name).join(', ')}`);
    else console.log('zero non-2xx answers and zero errors on every target');
  } finally {
    await Promise.all(started.map(killChild));
    await new Promise<void>((resolve) => (simulator ? simulator.server.close(() => resolve()) : resolve()));
    await rm(persistTo, { recursive: true, force: true });
    for (const cleanup of cleanups) await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
