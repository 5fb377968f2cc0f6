/**
 * Shared setup of the admin API tests: a fresh Webshare simulator per test reached through
 * routeOutbound, and requests to the real worker (SELF) or the real app with a changed env.
 */
import { SELF, createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach } from 'vitest';
import { createSimulator, type Simulator } from '../../sim';
import { createApp } from '../../src/app';
import type { Env } from '../../src/env';
import { routeOutbound } from '../helpers/outbound';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const API_KEY = 'test-api-key-9f8e7d6c';
export const ORIGIN = 'https://worker.test';

export const testEnv = env as unknown as Env;

/** Installs a fresh simulator before each test of the calling file; read it through `sim()`. */
export function useSimulator(options: Parameters<typeof createSimulator>[0] = {}): () => Simulator {
  let current: Simulator | undefined;
  beforeEach(() => {
    current = createSimulator(options);
    routeOutbound({ 'webshare.sim': current.fetch });
  });
  return () => {
    if (!current) throw new Error('useSimulator() must run in a describe or file scope');
    return current;
  };
}

export interface CallOptions {
  method?: string;
  json?: unknown;
  body?: BodyInit;
  token?: string | null;
  headers?: Record<string, string>;
}

function buildInit(options: CallOptions): RequestInit {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] ??= 'application/json';
  }
  return { method: options.method ?? 'GET', headers, body };
}

/** Calls the deployed-shape worker (SELF) with the admin token unless told otherwise. */
export function call(path: string, options: CallOptions = {}): Promise<Response> {
  return SELF.fetch(`${ORIGIN}${path}`, buildInit(options));
}

/** Calls a fresh app with env overrides (e.g. ADMIN_READ_TOKEN, or ADMIN_TOKEN unset). */
export async function callWithEnv(
  path: string,
  overrides: Partial<Record<keyof Env, unknown>>,
  options: CallOptions = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().request(path, buildInit(options), { ...testEnv, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export interface ErrorJson {
  error: { code: string; message: string; details?: unknown };
}

export async function errorOf(response: Response): Promise<ErrorJson['error']> {
  const body = (await response.json()) as ErrorJson;
  return body.error;
}
