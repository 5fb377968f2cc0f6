/**
 * Routes the Worker's outbound fetch by host to in-process handlers (the Webshare simulator, recording
 * sinks). Tests and the Worker share one isolate, so patching globalThis.fetch reaches both. A request
 * to any other host fails the test loudly: no test may call a real external host.
 */
import { afterEach } from 'vitest';

export type Handler = (request: Request) => Response | Promise<Response>;

let original: typeof fetch | undefined;

export function routeOutbound(routes: Record<string, Handler>): void {
  original ??= globalThis.fetch;
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const host = new URL(request.url).host;
    const handler = routes[host];
    if (!handler) throw new Error(`test made a request to an unexpected host: ${host}`);
    if (request.signal?.aborted) throw request.signal.reason;
    return await raceAbort(Promise.resolve(handler(request)), request.signal);
  }) as typeof fetch;
}

export function restoreOutbound(): void {
  if (original) globalThis.fetch = original;
}

afterEach(() => restoreOutbound());

/** Makes a slow handler honour the caller's AbortSignal, as a real fetch does. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
