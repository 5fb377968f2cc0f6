/** Calls a simulator directly (no client): the raw status, headers and JSON body. */
import type { Simulator } from '../../sim';

export const SIM_KEY = 'test-api-key-9f8e7d6c';

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export async function call(
  sim: Simulator,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth !== false) headers.Authorization ??= `Token ${SIM_KEY}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await sim.fetch(
    new Request(`https://webshare.sim${path}`, {
      method: init.method ?? 'GET',
      headers,
      body:
        init.body === undefined
          ? undefined
          : typeof init.body === 'string'
            ? init.body
            : JSON.stringify(init.body),
    }),
  );
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}
