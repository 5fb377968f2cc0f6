/**
 * The whole system on this machine: the Webshare simulator, a notification sink and the Worker under
 * `wrangler dev` (local KV, --test-scheduled) pointed at both. Used by `npm start` and by the browser
 * test. `stop()` ends everything it started, wrangler's workerd children included.
 */
import { serve, type ServerType } from '@hono/node-server';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator, type Simulator } from '../../sim';
import { startSinkServer, type SinkServer } from './sink-server';

export const DEMO_ADMIN_TOKEN = 'demo-admin-token-change-me';
export const DEMO_API_KEY = 'demo-webshare-api-key';
export const DEMO_ALERT_WEBHOOK_SECRET = 'whsec_ZGVtby1hbGVydC13ZWJob29rLXNlY3JldA==';
/** Turns on chat-ops, so the demo's Slack alerts carry their silence buttons (docs/chatops.md). */
export const DEMO_SLACK_SIGNING_SECRET = 'demo-slack-signing-secret';
export const DEMO_SIGNUP_SECRET = 'whsec_ZGVtby1zaWdudXAtd2ViaG9vay1zZWNyZXQ=';
export const DEMO_PLANS = {
  starter: { proxy_limit: 5, max_thread_count: 50 },
  pro: { proxy_limit: 50, max_thread_count: 200 },
};
const READY_TIMEOUT_MS = 90_000;
/** Days left in the simulated billing period, so projections have a date to talk about. */
const BILLING_DAYS_LEFT = 12;

export interface Stack {
  sim: Simulator;
  sink: SinkServer;
  workerUrl: string;
  /** Fires the cron handler once (wrangler's --test-scheduled endpoint). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** The Webshare API the simulator speaks and the worker is told to use (default v2). */
  apiVersion?: 'v1' | 'v2';
  workerPort: number;
  simPort: number;
  sinkPort: number;
  proxyCount?: number;
  quiet?: boolean;
  /** Lines of wrangler's own output worth showing (errors); the rest is noise in a demo. */
  onWorkerLog?: (line: string) => void;
}

function listen(
  fetchHandler: (request: Request) => Promise<Response>,
  port: number,
): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve) => {
    const server = serve(
      { hostname: '127.0.0.1', port, fetch: (request) => fetchHandler(request as unknown as Request) },
      (info: AddressInfo) => resolve({ server, port: info.port }),
    );
  });
}

async function waitForWorker(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`wrangler dev did not answer within ${READY_TIMEOUT_MS / 1000} s`);
}

function envFileLine(name: string, value: string): string {
  // Single quotes keep JSON and URLs literal in the .env format wrangler reads.
  return `${name}='${value}'`;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const simOrigin = `http://127.0.0.1:${options.simPort}`;
  const sim = createSimulator({
    apiKey: DEMO_API_KEY,
    proxyCount: options.proxyCount ?? 200,
    // The simulator follows the wall clock, as Webshare does: the worker's timestamps, Webshare's
    // rate-limit windows and the billing period then share one timeline. The demo is "accelerated"
    // by firing the cron every few seconds and moving the account's figures at each step.
    now: Date.now,
    origin: simOrigin,
    apiVersion: options.apiVersion ?? 'v2',
  });
  sim.control.setSubscriptionEnd(new Date(Date.now() + BILLING_DAYS_LEFT * 86_400_000).toISOString());
  const simServer = await listen((request) => sim.fetch(request), options.simPort);
  const sink = await startSinkServer({
    port: options.sinkPort,
    webhookSecret: DEMO_ALERT_WEBHOOK_SECRET,
    quiet: options.quiet,
  });

  const stateDir = mkdtempSync(join(tmpdir(), 'webshare-ops-demo-'));
  const envFile = join(stateDir, 'demo.env');
  writeFileSync(
    envFile,
    [
      envFileLine('WEBSHARE_API_KEY', DEMO_API_KEY),
      envFileLine('WEBSHARE_API_BASE_URL', simOrigin),
      envFileLine('WEBSHARE_API_VERSION', options.apiVersion ?? 'v2'),
      envFileLine('ADMIN_TOKEN', DEMO_ADMIN_TOKEN),
      envFileLine('SLACK_WEBHOOK_URL', `${sink.url}/slack`),
      envFileLine('SLACK_SIGNING_SECRET', DEMO_SLACK_SIGNING_SECRET),
      envFileLine('DISCORD_WEBHOOK_URL', `${sink.url}/discord`),
      envFileLine('ALERT_WEBHOOK_URL', `${sink.url}/webhook`),
      envFileLine('ALERT_WEBHOOK_SECRET', DEMO_ALERT_WEBHOOK_SECRET),
      envFileLine('SIGNUP_WEBHOOK_SECRET', DEMO_SIGNUP_SECRET),
      envFileLine('PLANS', JSON.stringify(DEMO_PLANS)),
      envFileLine('PUBLIC_URL', `http://127.0.0.1:${options.workerPort}`),
    ].join('\n'),
  );

  const wrangler = spawn(
    process.execPath,
    [
      join('node_modules', 'wrangler', 'bin', 'wrangler.js'),
      'dev',
      '--test-scheduled',
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.workerPort),
      '--persist-to',
      join(stateDir, 'state'),
      '--env-file',
      envFile,
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
    ],
    {
      // Its own process group, so stop() can end wrangler and the workerd it starts in one signal.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    },
  );
  for (const stream of [wrangler.stdout, wrangler.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) options.onWorkerLog?.(line);
    });
  }

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (wrangler.exitCode === null && wrangler.pid) {
      try {
        process.kill(-wrangler.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          try {
            process.kill(-wrangler.pid!, 'SIGKILL');
          } catch {
            // Already gone.
          }
          resolve();
        }, 5_000);
        wrangler.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await Promise.all([
      sink.close(),
      new Promise<void>((resolve) => simServer.server.close(() => resolve())),
    ]);
    rmSync(stateDir, { recursive: true, force: true });
  };

  const workerUrl = `http://127.0.0.1:${options.workerPort}`;
  try {
    await waitForWorker(workerUrl, wrangler);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    sim,
    sink,
    workerUrl,
    async tick() {
      const response = await fetch(`${workerUrl}/__scheduled?cron=*/5+*+*+*+*`);
      await response.text();
      if (!response.ok) throw new Error(`the scheduled handler answered ${response.status}`);
    },
    stop,
  };
}
