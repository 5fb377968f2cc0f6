/**
 * HTTP under load: `wrangler dev` serving webshare-ops and three baselines on loopback ports — a bare
 * Hono hello-world, a bare worker that reads the same KV keys as /v1/status (fixtures/bare-kv) and one
 * that verifies the same Standard Webhooks signature and makes the same one Durable Object round trip
 * as a replayed signup (fixtures/bare-signed). autocannon loads one target at a time (concurrency 50,
 * BENCH_SECONDS per target, default 6), in BENCH_HTTP_ROUNDS rounds (default 3) that alternate ours
 * with its baseline, so drifting load from other processes falls on both; each figure is the median of
 * the rounds and each ratio the median of the per-round ratios. Idle workers cost nothing meanwhile.
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
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { Webhook } from 'standardwebhooks';
import { createSimulator } from '../sim';
import { freePort, median, reportGoal } from './bench-util';
import { PROJECT_CONFIG, fixtureCopy, wranglerEnv } from './bundle-size';

const LOOPBACK = '127.0.0.1';
const CONNECTIONS = 50;
const DEFAULT_BENCH_SECONDS = 6;
const DEFAULT_ROUNDS = 3;
/** BENCH_HTTP_ONLY=status or signup: only that comparison's targets. */
const HTTP_ONLY = process.env.BENCH_HTTP_ONLY;
/** Issue 16: ours at ≥ 0.8× the requests/s of the baseline doing the same I/O. */
export const HTTP_GOAL_RATIO = 0.8;
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

function positiveEnv(name: string, fallback: number): number {
  const raw = Number(process.env[name] ?? fallback);
  return Number.isFinite(raw) && raw > 0 ? raw : fallback;
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

/**
 * The same deliveries (ids and bodies) signed at `signedAt`: senders re-sign a retry with a fresh
 * timestamp, and a long run would otherwise outlive the 5-minute signature window.
 */
function signupPool(runId: number, signedAt = new Date()): AutocannonRequest[] {
  const webhook = new Webhook(SIGNUP_SECRET);
  return Array.from({ length: SIGNUP_POOL_SIZE }, (_, i) => {
    const id = `msg_bench_${runId}_${i}`;
    const body = JSON.stringify({
      type: 'customer.created',
      timestamp: new Date(runId).toISOString(),
      data: { customer_id: `cus_bench_${runId}_${i}`, plan: 'starter' },
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

async function firstDeliveries(base: string, pool: AutocannonRequest[]): Promise<void> {
  for (const request of pool) {
    const response = await fetch(`${base}${request.path}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    await expectOk(response, 'POST /hooks/signup (seeding)');
  }
}

async function seedOurs(base: string, pool: AutocannonRequest[]): Promise<void> {
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const poll = await fetch(`${base}/v1/poll`, { method: 'POST', headers: auth });
  await expectOk(poll, 'POST /v1/poll');
  const tick = (await poll.json()) as { status?: string; errors?: unknown[] };
  if (tick.status !== 'done' || tick.errors?.length) {
    throw new Error(`the seeding tick did not complete cleanly: ${JSON.stringify(tick).slice(0, 500)}`);
  }
  // A silence, so /v1/status (and its KV baseline) read a non-empty silences document too.
  const silence = await fetch(`${base}/v1/silences`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ matcher: { rule: 'bandwidth' }, duration_minutes: 600, comment: 'bench' }),
  });
  await expectOk(silence, 'POST /v1/silences');
  await expectOk(await fetch(`${base}/v1/status`, { headers: auth }), 'GET /v1/status');
  await firstDeliveries(base, pool);
}

async function load(target: Target, seconds: number, warmup: boolean): Promise<LoadResult> {
  const options = {
    url: target.url,
    connections: CONNECTIONS,
    headers: target.headers,
    requests: target.requests,
  };
  if (warmup) await autocannon({ ...options, duration: WARMUP_SECONDS });
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

/** A target's rounds folded into one row: median req/s and p99, summed failures. */
function fold(results: LoadResult[]): LoadResult {
  return {
    name: results[0]!.name,
    rps: median(results.map((r) => r.rps)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    total: results.reduce((sum, r) => sum + r.total, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}

/** The median over rounds of ours/baseline, each ratio taken within one round. */
function ratioOf(ours: LoadResult[], baseline: LoadResult[], field: 'rps' | 'p99Ms'): number {
  return median(ours.map((r, i) => r[field] / Math.max(baseline[i]![field], 1)));
}

interface Comparison {
  ours: string;
  baseline: string;
}

const COMPARISONS: Comparison[] = [
  { ours: 'GET /v1/status (auth)', baseline: 'bare KV reads GET /' },
  { ours: 'GET /v1/status (auth)', baseline: 'bare Hono GET /' },
  { ours: 'POST /hooks/signup replay', baseline: 'bare verify + DO replay' },
];

function report(byTarget: Map<string, LoadResult[]>, seconds: number, rounds: number): void {
  console.log(
    `\nHTTP under load (wrangler dev on loopback, autocannon ${CONNECTIONS} connections, ${seconds} s per target, ` +
      `${rounds} alternating rounds; medians)`,
  );
  console.log('target                        | req/s   | p99 ms | non-2xx | errors');
  for (const results of byTarget.values()) {
    const r = fold(results);
    console.log(
      [
        r.name.padEnd(29),
        r.rps.toFixed(0).padStart(7),
        String(r.p99Ms).padStart(6),
        String(r.non2xx).padStart(7),
        String(r.errors).padStart(6),
      ].join(' | '),
    );
  }
  console.log('ours / baseline (per-round ratios)                  | req/s ratio | p99 ratio | rounds');
  for (const { ours, baseline } of COMPARISONS) {
    const o = byTarget.get(ours);
    const b = byTarget.get(baseline);
    if (!o || !b) continue;
    const perRound = o.map((r, i) => (r.rps / b[i]!.rps).toFixed(2)).join(' ');
    console.log(
      [
        `${ours} vs ${baseline}`.padEnd(51),
        `${ratioOf(o, b, 'rps').toFixed(2)}×`.padStart(11),
        `${ratioOf(o, b, 'p99Ms').toFixed(2)}×`.padStart(9),
        perRound,
      ].join(' | '),
    );
  }
}

function reportGoals(byTarget: Map<string, LoadResult[]>): void {
  for (const { ours, baseline } of [COMPARISONS[0]!, COMPARISONS[2]!]) {
    if (!byTarget.has(ours) || !byTarget.has(baseline)) continue;
    const ratio = ratioOf(byTarget.get(ours)!, byTarget.get(baseline)!, 'rps');
    reportGoal(
      `${ours} ≥ ${HTTP_GOAL_RATIO}× ${baseline} req/s`,
      `${ratio.toFixed(2)}×`,
      ratio >= HTTP_GOAL_RATIO,
    );
  }
  const failing = [...byTarget.values()].map(fold).filter((r) => r.non2xx > 0 || r.errors > 0);
  reportGoal(
    'zero non-2xx and zero errors under load',
    failing.length === 0
      ? 'none'
      : failing.map((r) => `${r.name}: ${r.non2xx} non-2xx, ${r.errors} errors`).join('; '),
    failing.length === 0,
  );
}

interface Servers {
  bare: string;
  bareKv: string;
  bareSigned: string;
  ours: string;
}

async function startServers(
  simulatorOrigin: string,
  persistTo: string,
  pool: AutocannonRequest[],
  started: ChildProcess[],
  cleanups: (() => Promise<void>)[],
): Promise<Servers> {
  const start = async (config: string, vars: Record<string, string>, persist: string) => {
    const port = await freePort();
    started.push(await startWranglerDev(config, port, await freePort(), vars, persist));
    return `http://${LOOPBACK}:${port}`;
  };
  const fixture = async (name: 'bare-hono' | 'bare-kv' | 'bare-signed') => {
    const copy = await fixtureCopy(name);
    cleanups.push(copy.cleanup);
    return copy.config;
  };
  const oursPersist = join(persistTo, 'ours');
  const ours = await start(
    PROJECT_CONFIG,
    {
      WEBSHARE_API_KEY: API_KEY,
      WEBSHARE_API_BASE_URL: simulatorOrigin,
      ADMIN_TOKEN,
      SIGNUP_WEBHOOK_SECRET: SIGNUP_SECRET,
      PLANS: JSON.stringify(PLANS),
    },
    oursPersist,
  );
  await seedOurs(ours, pool);
  // Same persisted KV and namespace id: the baseline reads the very values /v1/status reads.
  const bareKv = await start(await fixture('bare-kv'), {}, oursPersist);
  const bareSigned = await start(
    await fixture('bare-signed'),
    { SIGNUP_WEBHOOK_SECRET: SIGNUP_SECRET },
    join(persistTo, 'bare-signed'),
  );
  await firstDeliveries(bareSigned, pool);
  const bare = await start(await fixture('bare-hono'), {}, join(persistTo, 'bare'));
  return { bare, bareKv, bareSigned, ours };
}

async function describeStatusReads(bareKv: string): Promise<void> {
  const reads = (await (await fetch(`${bareKv}/`)).json()) as { keys: number; found: number; bytes: number };
  console.log(
    `/v1/status and its KV baseline read ${reads.keys} keys (${reads.found} present, ${reads.bytes} bytes in all)`,
  );
}

export async function benchHttpLoad(): Promise<void> {
  const seconds = positiveEnv('BENCH_SECONDS', DEFAULT_BENCH_SECONDS);
  const rounds = Math.round(positiveEnv('BENCH_HTTP_ROUNDS', DEFAULT_ROUNDS));
  const persistTo = await mkdtemp(join(tmpdir(), 'bench-http-'));
  let simulator: { server: ServerType; origin: string } | undefined;
  const started: ChildProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    simulator = await startSimulator();
    const runId = Date.now();
    const servers = await startServers(simulator.origin, persistTo, signupPool(runId), started, cleanups);
    await describeStatusReads(servers.bareKv);
    const byTarget = new Map<string, LoadResult[]>();
    for (let round = 0; round < rounds; round++) {
      const pool = signupPool(runId);
      const all: (Target & { group: 'status' | 'signup' })[] = [
        { group: 'status', name: 'bare Hono GET /', url: `${servers.bare}/` },
        { group: 'status', name: 'bare KV reads GET /', url: `${servers.bareKv}/` },
        {
          group: 'status',
          name: 'GET /v1/status (auth)',
          url: `${servers.ours}/v1/status`,
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
        },
        {
          group: 'signup',
          name: 'bare verify + DO replay',
          url: `${servers.bareSigned}/hooks/signup`,
          requests: pool,
        },
        {
          group: 'signup',
          name: 'POST /hooks/signup replay',
          url: `${servers.ours}/hooks/signup`,
          requests: pool,
        },
      ];
      const targets = all.filter((target) => !HTTP_ONLY || target.group === HTTP_ONLY);
      for (const target of targets) {
        const result = await load(target, seconds, round === 0);
        byTarget.set(target.name, [...(byTarget.get(target.name) ?? []), result]);
      }
    }
    report(byTarget, seconds, rounds);
    reportGoals(byTarget);
  } finally {
    await Promise.all(started.map(killChild));
    await new Promise<void>((resolve) => (simulator ? simulator.server.close(() => resolve()) : resolve()));
    await rm(persistTo, { recursive: true, force: true });
    for (const cleanup of cleanups) await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
