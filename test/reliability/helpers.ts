/**
 * Shared by the reliability suites: the Webshare paths one tick calls, a capture of everything the
 * worker logs, and the checks every fault case ends with (secrets, Webshare's 60-second windows).
 */
import { env } from 'cloudflare:test';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import {
  SIM_RATE_LIMITS_PER_MINUTE,
  SIM_RATE_WINDOW_MS,
  type SimBucket,
  type SimRequestRecord,
} from '../../sim';

export const WEBSHARE_API_KEY = 'test-api-key-9f8e7d6c';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Every Webshare call a first tick makes, with the snapshot source it feeds. */
export const TICK_PATHS = [
  { path: '/api/proxy/stats/', source: 'stats', requiredField: 'bandwidth_used' },
  {
    path: '/api/proxy/replacement/info/',
    source: 'replacement_info',
    requiredField: 'proxy_replacements_available',
  },
  { path: '/api/subscription/', source: 'subscription', requiredField: 'bandwidth_limit' },
  // Page bodies: the field is dropped from each item of `results` (the sim seeds sub-users for it).
  { path: '/api/subuser/', source: 'subusers', requiredField: 'proxy_limit' },
  { path: '/api/proxy/list/', source: 'proxy_list', requiredField: 'valid' },
] as const;

/** Lines the worker wrote to the console while a test ran. */
export function captureConsole(): { lines: string[] } {
  const captured = { lines: [] as string[] };
  beforeEach(() => {
    captured.lines = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        captured.lines.push(args.map((a) => (typeof a === 'string' ? a : safeStringify(a))).join(' '));
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return captured;
}

function safeStringify(value: unknown): string {
  try {
    return value instanceof Error ? `${value.name}: ${value.message}` : JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Every KV value, concatenated: what a secret scan of storage reads. */
export async function dumpKv(
  kv: KVNamespace = (env as unknown as { STATE: KVNamespace }).STATE,
): Promise<string> {
  const parts: string[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await kv.list(cursor ? { cursor } : {});
    for (const key of page.keys) parts.push(`${key.name}=${(await kv.get(key.name)) ?? ''}`);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return parts.join('\n');
}

/** The most requests that reached the simulator in any 60-second window, per bucket. */
export function busiestWindow(requests: readonly SimRequestRecord[]): Record<SimBucket, number> {
  const busiest: Record<SimBucket, number> = { general: 0, proxyList: 0 };
  for (const bucket of ['general', 'proxyList'] as const) {
    const times = requests.filter((r) => r.bucket === bucket).map((r) => r.time);
    times.sort((a, b) => a - b);
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while ((times[start] as number) <= (times[end] as number) - SIM_RATE_WINDOW_MS) start++;
      busiest[bucket] = Math.max(busiest[bucket], end - start + 1);
    }
  }
  return busiest;
}

export function expectWithinRateLimits(requests: readonly SimRequestRecord[]): void {
  const busiest = busiestWindow(requests);
  expect(busiest.general).toBeLessThanOrEqual(SIM_RATE_LIMITS_PER_MINUTE.general);
  expect(busiest.proxyList).toBeLessThanOrEqual(SIM_RATE_LIMITS_PER_MINUTE.proxyList);
}

/**
 * Retry backoff is full jitter, `Math.random() × ceiling`: pinning Math.random to 0 makes every
 * backoff 0 ms, so the matrix spends no time asleep (Retry-After waits are untouched).
 */
export function noBackoffJitter(): void {
  beforeEach(() => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
  });
}
