/** Small outbound-HTTP helpers shared by every client: timeouts, backoff, Retry-After. */

export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * a random delay in [0, min(cap, base * 2^attempt)). Spreads retries of many callers apart.
 */
export function fullJitterBackoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Parses a Retry-After header (RFC 9110 §10.2.3: delay-seconds or an HTTP date) into seconds.
 * Returns undefined when absent or unparseable.
 */
export function parseRetryAfterSeconds(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, Math.ceil((dateMs - nowMs) / 1000));
}

/** Reads and discards a body so the connection can be reused (workerd warns about unread bodies). */
export async function drainBody(response: Response): Promise<void> {
  // A body already read needs nothing, and cancelling it would throw (an Error built and caught per request).
  if (response.bodyUsed || !response.body) return;
  try {
    await response.body.cancel();
  } catch {
    // Nothing to do: the body was already consumed or the stream errored.
  }
}

/** True for errors raised by `AbortSignal.timeout`. */
export function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}
