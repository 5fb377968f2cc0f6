/** Requests to the real app as a browser makes them (no redirects followed), and a signed-in session. */
import { createExecutionContext, env } from 'cloudflare:test';
import { createApp } from '../../src/app';
import type { Env } from '../../src/env';

export const TOKEN = 'test-admin-token-0123456789';

export function request(path: string, init: RequestInit = {}, extraEnv: Partial<Env> = {}) {
  return createApp().request(
    `https://worker.test${path}`,
    { redirect: 'manual', ...init },
    { ...(env as unknown as Env), ...extraEnv },
    createExecutionContext(),
  );
}

export async function login(token = TOKEN, extraEnv: Partial<Env> = {}) {
  return request(
    '/login',
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    },
    extraEnv,
  );
}

export function sessionCookie(response: Response): string {
  const setCookie = response.headers.get('Set-Cookie') ?? '';
  return setCookie.split(';')[0]!;
}
