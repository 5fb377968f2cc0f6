/**
 * How every Webshare request travels, whatever the endpoint: the API key, Webshare's per-minute rate
 * limits, the invocation's subrequest budget, a timeout per attempt, and a retry policy that never
 * repeats a write Webshare may already have done. Failures become typed WebshareErrors; answers are
 * validated against the endpoint's schema. The client (client.ts) is only the list of endpoints.
 */
import type * as z from 'zod';
import { unlimitedBudget, type SubrequestBudget } from '../lib/budget';
import {
  fullJitterBackoffMs,
  parseRetryAfterSeconds,
  realSleep,
  type FetchLike,
  type Sleep,
} from '../lib/http';
import { requestUrl } from '../lib/request-url';
import { send, type Attempt, type Judgement } from '../lib/send';
import type { WebshareError } from './errors';
import {
  SubrequestBudgetExhaustedError,
  WebshareLocalRateLimitError,
  WebshareNetworkError,
  WebshareRateLimitError,
  WebshareResponseError,
  WebshareTimeoutError,
  errorForStatus,
  isRetryableRead,
} from './errors';
import { SlidingWindowLimiter, type RateBucket } from './rate-limits';
import type { SlotSource } from './rate-slots';
import { parseFieldErrors } from './field-errors';

/** "If you receive this error, you should wait up to 60 seconds and retry." */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ATTEMPTS = 4;
export const DEFAULT_MAX_RETRY_WAIT_MS = 10_000;
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 4_000;

export interface WebshareTransportOptions {
  apiKey: string;
  /** Origin of the API, e.g. https://proxy.webshare.io. */
  baseUrl: string;
  /** Defaults to the global fetch, looked up at call time. */
  fetch?: FetchLike;
  timeoutMs?: number;
  /** Attempts per request, first included (reads; writes retry only on 429). */
  maxAttempts?: number;
  /** The longest single wait (Retry-After, backoff, rate window) worth sleeping through in one invocation. */
  maxRetryWaitMs?: number;
  budget?: SubrequestBudget;
  limiter?: SlidingWindowLimiter;
  /** The masquerade header of the dialect: v1 `X-Webshare-SubUser`, v2 `X-Subuser`. */
  subUserHeader?: string;
  /** The account's rate gate (rate-slots.ts), asked with the limiter's limits; without it, the limiter alone. */
  slots?: SlotSource;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
}

/**
 * What reads a response body into the worker's type: a zod schema, or a hand-written reader of the
 * same shape where zod's cost shows (v1/validity-page.ts). Undefined: the body is not read.
 */
export interface ResponseParser<O = unknown> {
  safeParse(
    json: unknown,
  ):
    | { success: true; data: O }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[] }[] } };
}

export interface RequestSpec<T extends ResponseParser | undefined> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  bucket?: RateBucket;
  schema: T;
  subUserId?: number;
}

export type Parsed<T> = T extends z.ZodType ? z.output<T> : T extends ResponseParser<infer O> ? O : undefined;

/** A client's `request`, handed to the helpers that build its calls (v2's sub-users, replacements, access). */
export type SendRequest = <T extends ResponseParser | undefined>(spec: RequestSpec<T>) => Promise<Parsed<T>>;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: WebshareError };

export class WebshareTransport {
  readonly #apiKey: string;
  readonly #origin: string;
  readonly #fetch: FetchLike | undefined;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #maxRetryWaitMs: number;
  readonly #budget: SubrequestBudget;
  readonly #limiter: SlidingWindowLimiter;
  readonly #slots: SlotSource | undefined;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #subUserHeader: string;
  #requestCount = 0;
  readonly #sentByBucket: Record<RateBucket, number> = { general: 0, proxyList: 0, downloadLinks: 0 };

  constructor(options: WebshareTransportOptions) {
    if (!options.apiKey) throw new Error('WEBSHARE_API_KEY is not set');
    this.#apiKey = options.apiKey;
    this.#origin = new URL(options.baseUrl).origin;
    this.#fetch = options.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.#maxRetryWaitMs = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
    this.#budget = options.budget ?? unlimitedBudget();
    this.#limiter = options.limiter ?? new SlidingWindowLimiter();
    this.#slots = options.slots;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
    this.#subUserHeader = options.subUserHeader ?? 'X-Webshare-SubUser';
  }

  /** Requests actually sent (retries included), for subrequest accounting. */
  get requestCount(): number {
    return this.#requestCount;
  }

  /** Requests sent per rate-limit bucket, so callers can carry counts across invocations. */
  get sentByBucket(): Readonly<Record<RateBucket, number>> {
    return this.#sentByBucket;
  }

  get budget(): SubrequestBudget {
    return this.#budget;
  }

  async request<T extends ResponseParser | undefined>(spec: RequestSpec<T>): Promise<Parsed<T>> {
    const bucket = spec.bucket ?? 'general';
    const where = { method: spec.method, path: spec.path };
    const { verdict } = await send<Outcome<Parsed<T>>>(() => this.#build(spec), {
      timeoutMs: this.#timeoutMs,
      attempts: this.#maxAttempts,
      fetch: this.#fetch,
      sleep: this.#sleep,
      beforeAttempt: async () => {
        await this.#waitForRateWindow(bucket, where);
        await this.#slots?.take(bucket, this.#limiter.limits, this.#maxRetryWaitMs, where);
        if (!this.#budget.tryTake()) {
          throw new SubrequestBudgetExhaustedError(
            `subrequest budget of ${this.#budget.limit} spent; not sent`,
            where,
          );
        }
        this.#limiter.record(bucket, this.#now());
        this.#requestCount++;
        this.#sentByBucket[bucket]++;
        return true;
      },
      judge: (attempt, index) => this.#judge(spec, attempt, index),
    });
    // beforeAttempt never stops without throwing, so there is always a verdict.
    const outcome = verdict as Outcome<Parsed<T>>;
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  #build(spec: RequestSpec<ResponseParser | undefined>) {
    const url = requestUrl(this.#origin, spec.path, spec.query);
    const headers: Record<string, string> = {
      Authorization: `Token ${this.#apiKey}`,
      Accept: 'application/json',
    };
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    if (spec.subUserId !== undefined) headers[this.#subUserHeader] = String(spec.subUserId);
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    return { url, init: { method: spec.method, headers, body } };
  }

  async #judge<T extends ResponseParser | undefined>(
    spec: RequestSpec<T>,
    attempt: Attempt,
    index: number,
  ): Promise<Judgement<Outcome<Parsed<T>>>> {
    const outcome = await this.#read(spec, attempt);
    if (outcome.ok) return { verdict: outcome };
    const error = outcome.error;
    // Writes are retried only after 429, which Webshare answers before doing anything; a 5xx or
    // a timeout may have created the object already, and a second POST would make a second one.
    const retryable =
      spec.method === 'GET' ? isRetryableRead(error) : error instanceof WebshareRateLimitError;
    if (!retryable) return { verdict: outcome };
    const delayMs =
      error.retryAfterSeconds !== undefined
        ? error.retryAfterSeconds * 1000
        : fullJitterBackoffMs(index, BACKOFF_BASE_MS, BACKOFF_CAP_MS, this.#random);
    return { verdict: outcome, retryInMs: delayMs > this.#maxRetryWaitMs ? null : delayMs };
  }

  /** What an attempt means: the parsed answer, or the WebshareError it amounts to. */
  async #read<T extends ResponseParser | undefined>(
    spec: RequestSpec<T>,
    attempt: Attempt,
  ): Promise<Outcome<Parsed<T>>> {
    const where = { method: spec.method, path: spec.path };
    const { response } = attempt;
    if (response === undefined) {
      const error =
        attempt.failure === 'timeout'
          ? new WebshareTimeoutError(`no answer within ${this.#timeoutMs} ms`, {
              ...where,
              cause: attempt.cause,
            })
          : new WebshareNetworkError('connection failed', { ...where, cause: attempt.cause });
      return { ok: false, error };
    }
    if (!response.ok) {
      const text = await readText(response);
      const { detail, fieldErrors, codes } = parseFieldErrors(tryParseJson(text));
      const retryAfterSeconds =
        parseRetryAfterSeconds(response.headers.get('Retry-After'), this.#now()) ??
        (response.status === 429 ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
      const error = errorForStatus({
        ...where,
        status: response.status,
        detail,
        fieldErrors,
        codes,
        retryAfterSeconds,
      });
      return { ok: false, error };
    }
    if (spec.schema === undefined) return { ok: true, value: undefined as Parsed<T> };
    const json = tryParseJson(await readText(response));
    if (json === undefined) {
      const error = new WebshareResponseError('the response is not JSON', {
        ...where,
        status: response.status,
      });
      return { ok: false, error };
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      // Name the fields, never their values: a response may carry proxy passwords.
      const fields = parsed.error.issues.map((issue) => issue.path.map(String).join('.') || '(root)');
      const message = `unexpected response shape at ${[...new Set(fields)].join(', ')}`;
      return { ok: false, error: new WebshareResponseError(message, { ...where, status: response.status }) };
    }
    return { ok: true, value: parsed.data as Parsed<T> };
  }

  async #waitForRateWindow(bucket: RateBucket, where: { method: string; path: string }): Promise<void> {
    const waitMs = this.#limiter.waitMs(bucket, this.#now());
    if (waitMs <= 0) return;
    if (waitMs > this.#maxRetryWaitMs) {
      throw new WebshareLocalRateLimitError(`the ${bucket} rate limit is reached; not sent`, {
        ...where,
        retryAfterSeconds: Math.ceil(waitMs / 1000),
      });
    }
    await this.#sleep(waitMs);
  }
}

async function readText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return '';
  }
}

/** Blank or not JSON: undefined. (A regex, not trim(): trimming copies every page of the sweep.) */
function tryParseJson(text: string): unknown {
  if (!/\S/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * What every dialect's endpoint list shares: one transport, its request accounting (for the tick's
 * budget and the rate windows carried between ticks), and the one way to send.
 */
export abstract class TransportClient {
  protected constructor(protected readonly transport: WebshareTransport) {}

  /** Requests actually sent (retries included), for subrequest accounting. */
  get requestCount(): number {
    return this.transport.requestCount;
  }

  /** Requests sent per rate-limit bucket, so callers can carry counts across invocations. */
  get sentByBucket(): Readonly<Record<RateBucket, number>> {
    return this.transport.sentByBucket;
  }

  get budget(): SubrequestBudget {
    return this.transport.budget;
  }

  protected request<T extends ResponseParser | undefined>(spec: RequestSpec<T>): Promise<Parsed<T>> {
    return this.transport.request(spec);
  }
}
