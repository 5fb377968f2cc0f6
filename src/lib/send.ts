/**
 * The one outbound HTTP path. Webshare, Slack, Discord, the signed webhook and chat-ops follow-ups
 * all send through `send`: a timeout on every attempt, the caller's judgement of each attempt (what
 * it means, and whether and when to try again), the sleep between attempts, and the body of every
 * response consumed before the next attempt (workerd warns about unread bodies, and an unread body
 * holds the connection).
 */
import { drainBody, isTimeoutError, realSleep, type FetchLike, type Sleep } from './http';

/** What one attempt came to: a response (any status), or no response at all. */
export type Attempt =
  | { response: Response; failure?: undefined }
  | { response?: undefined; failure: 'timeout' | 'network'; cause: unknown };

export interface Judgement<V> {
  /** What the attempt means to the caller; `send` returns the last one. */
  verdict: V;
  /** Wait this long and try again; absent or null: stop here. */
  retryInMs?: number | null;
}

export interface OutboundRequest {
  url: string;
  init: RequestInit;
}

export interface SendOptions<V> {
  timeoutMs: number;
  /** Attempts at most, the first included (default 1). */
  attempts?: number;
  /** Reads what it needs of the attempt (the response is the judge's to read) and decides. */
  judge: (attempt: Attempt, index: number) => Judgement<V> | Promise<Judgement<V>>;
  /**
   * Runs before each attempt: takes a subrequest from a budget, waits for a rate window. Returns false
   * to stop without sending (the result then carries the previous attempt's verdict, if any); throws
   * to abort.
   */
  beforeAttempt?: (index: number) => boolean | Promise<boolean>;
  /** Defaults to the global fetch, looked up at call time (tests route it by host). */
  fetch?: FetchLike;
  sleep?: Sleep;
}

export interface SendResult<V> {
  /** The last attempt's verdict; undefined when nothing was sent. */
  verdict: V | undefined;
  /** Attempts actually sent. */
  attempts: number;
}

/**
 * Sends the request built by `build` (called again for every attempt: bodies are streams, and a
 * signed request is signed with the time of its attempt) until the judge stops or attempts run out.
 */
export async function send<V>(
  build: () => OutboundRequest | Promise<OutboundRequest>,
  options: SendOptions<V>,
): Promise<SendResult<V>> {
  const maxAttempts = Math.max(1, options.attempts ?? 1);
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const sleep = options.sleep ?? realSleep;
  let verdict: V | undefined;
  let sent = 0;
  while (sent < maxAttempts) {
    const index = sent;
    if (options.beforeAttempt && !(await options.beforeAttempt(index))) break;
    const { url, init } = await build();
    sent++;
    let attempt: Attempt;
    try {
      const response = await doFetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
      attempt = { response };
    } catch (cause) {
      attempt = { failure: isTimeoutError(cause) ? 'timeout' : 'network', cause };
    }
    const judgement = await options.judge(attempt, index);
    verdict = judgement.verdict;
    if (attempt.response) await drainBody(attempt.response);
    const retryInMs = judgement.retryInMs;
    if (retryInMs === undefined || retryInMs === null || sent >= maxAttempts) break;
    if (retryInMs > 0) await sleep(retryInMs);
  }
  return { verdict, attempts: sent };
}
