/**
 * Runs a quota-spending write (a create, a refresh, a replacement) at most once per Idempotency-Key,
 * through the IdempotencyKeyStore Durable Object: same key + same request → the stored response; same
 * key + different request → 422; a duplicate while the first runs → 409. A failure that certainly did
 * nothing releases the key; one that may have done the work (timeout, 5xx) leaves it "uncertain", and
 * the retry first looks for what the lost attempt may have made (`reconcile`) before writing again.
 * Right before that write, the retry re-checks in the store that the key is still its own: a long
 * look-up may outlast the lease, and an attempt that took the key over meanwhile may be writing too.
 */
import type { Context } from 'hono';
import { ConfigError } from '../../config';
import type { AppEnv } from '../../context';
import type { Logger } from '../../lib/log';
import { ApiError } from '../../lib/api-error';
import { sha256Hex } from '../../lib/crypto';
import type { IdempotencyKeyStore, StoredResponse } from '../../storage/idempotency';
import {
  WebshareError,
  WebshareNetworkError,
  WebshareResponseError,
  WebshareServerError,
  WebshareTimeoutError,
  WebshareUnavailableError,
} from '../../webshare/errors';

const REPLAYED_HEADER = 'Idempotent-Replayed';

export interface IdempotentWork<T> {
  /** Does the work; its result is stored for replay. */
  run(): Promise<T>;
  /**
   * After an uncertain failure: what the lost attempt made, or undefined when it made nothing.
   * `sinceMs` is when the key was first claimed: nothing older can be the lost attempt's. Absent when
   * Webshare offers no way to tell (a refresh): the retry then does the work again.
   */
  find?(sinceMs: number): Promise<T | undefined>;
  /** The answer's status, fixed or decided by the result (an accepted asynchronous job is 202). */
  status: SuccessStatus | ((result: T) => SuccessStatus);
}

type SuccessStatus = 200 | 201 | 202;

function statusFor<T>(work: IdempotentWork<T>, result: T): SuccessStatus {
  return typeof work.status === 'function' ? work.status(result) : work.status;
}

/** sha256 of method, path and the body with object keys sorted, so key order does not matter. */
export async function requestFingerprint(method: string, path: string, body: unknown): Promise<string> {
  return sha256Hex(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`);
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * True when the upstream call may have done its work despite the error: no answer (timeout,
 * dropped connection), a server error mid-way, or a 2xx whose body we could not read.
 * Anything else (our validation, config, Webshare 4xx, rate limits) created nothing.
 */
export function mayHaveSucceeded(error: unknown): boolean {
  if (!(error instanceof WebshareError)) return !(error instanceof ApiError || error instanceof ConfigError);
  return (
    error instanceof WebshareTimeoutError ||
    error instanceof WebshareNetworkError ||
    error instanceof WebshareServerError ||
    error instanceof WebshareUnavailableError ||
    error instanceof WebshareResponseError
  );
}

export async function idempotent<T>(
  c: Context<AppEnv>,
  key: string | undefined,
  work: IdempotentWork<T>,
): Promise<Response> {
  if (key === undefined) {
    const result = await work.run();
    return c.json(result, statusFor(work, result));
  }
  const claim = await claimKey(c, key);
  const { begun } = claim;
  if (begun.outcome === 'replay') {
    claim.log.info('idempotent replay');
    return replay(c, begun.response);
  }
  return runClaimed(c, { ...claim, begun }, work);
}

type Begun = Awaited<ReturnType<DurableObjectStub<IdempotencyKeyStore>['begin']>>;
type Claimed = Extract<Begun, { outcome: 'new' | 'reconcile' }>;

interface Claim {
  store: DurableObjectStub<IdempotencyKeyStore>;
  fingerprint: string;
  log: Logger;
  begun: Claimed | Extract<Begun, { outcome: 'replay' }>;
}

/** The key's record: new, to reconcile after a doubtful attempt, or to replay; 409/422 otherwise. */
async function claimKey(c: Context<AppEnv>, key: string): Promise<Claim> {
  const namespace = c.env.IDEMPOTENCY as DurableObjectNamespace<IdempotencyKeyStore> | undefined;
  if (!namespace)
    throw new ConfigError('IDEMPOTENCY', 'the IDEMPOTENCY Durable Object binding is not configured');
  const store = namespace.get(namespace.idFromName(key));
  const body: unknown = await c.req.json().catch(() => null);
  const fingerprint = await requestFingerprint(c.req.method, c.req.path, body);
  const log = c.get('log').child({ idempotencyKeySha256: (await sha256Hex(key)).slice(0, 16) });
  const begun = await store.begin(fingerprint);
  if (begun.outcome === 'in_progress') {
    const message = 'a request with this Idempotency-Key is still running; retry shortly';
    throw new ApiError(409, 'idempotency_in_progress', message, { headers: { 'Retry-After': '1' } });
  }
  if (begun.outcome === 'mismatch') {
    const message = 'this Idempotency-Key was used with a different request';
    throw new ApiError(422, 'idempotency_key_reused', message);
  }
  return { store, fingerprint, log, begun };
}

/** Does the work (or finds what a lost attempt made) under the claim, and settles the record. */
async function runClaimed<T>(
  c: Context<AppEnv>,
  claim: Claim & { begun: Claimed },
  work: IdempotentWork<T>,
): Promise<Response> {
  const { store, fingerprint, log, begun } = claim;
  let claimLost = false;
  try {
    let result: T | undefined;
    if (begun.outcome === 'reconcile') {
      result = await work.find?.(begun.beganAtMs);
      log.info('idempotent reconcile', { found: result !== undefined });
      // The look-up may have outlasted the lease, and an attempt that took the key over may have
      // looked, found nothing and written already: only the holder of the key may write now.
      if (result === undefined && !(await store.renewLease(fingerprint, begun.lease))) {
        claimLost = true;
        throw claimLostError();
      }
    }
    result ??= await work.run();
    const response: StoredResponse = { status: statusFor(work, result), bodyJson: JSON.stringify(result) };
    if (!(await store.complete(fingerprint, response, begun.lease))) {
      // Our lease lapsed while we worked and another attempt with this key took it over, as a
      // reconcile (a lapsed lease counts as uncertain). No blind second create can follow: a
      // reconciling attempt never aborts (its failures leave the key uncertain) and only the lease
      // holder may settle the record, so the store never answers `new` for this key again until it
      // expires; every later attempt replays or reconciles, and a reconcile finds what we made. We
      // touch nothing: the record is the other attempt's now. If it listed before our create landed
      // and created as well, ours is the extra sub-user: its id is logged for an operator; the body
      // is not (it carries the proxy password).
      log.warn('idempotent result not stored: the Idempotency-Key claim was lost while working', {
        subUserId: idOf(result),
      });
    }
    return c.json(result, statusFor(work, result));
  } catch (error) {
    // The record belongs to the attempt that took the key over: leave it to that attempt.
    if (!claimLost) await releaseAfterFailure(claim, error);
    throw error;
  }
}

/** After a failure: the key is released, or kept uncertain when the work may have happened anyway. */
async function releaseAfterFailure(claim: Claim & { begun: Claimed }, error: unknown): Promise<void> {
  const { store, fingerprint, log, begun } = claim;
  // After a reconcile, the lost attempt's doubt remains whatever failed this time.
  const uncertain = begun.outcome === 'reconcile' || mayHaveSucceeded(error);
  try {
    // With our lease: if it lapsed and another attempt took over, the record is theirs to settle.
    if (uncertain) await store.markUncertain(fingerprint, begun.lease);
    else await store.abort(fingerprint, begun.lease);
  } catch (storeError) {
    // The caller must see the original failure; the claim then lapses with its lease.
    log.error('could not release the Idempotency-Key claim', { error: storeError });
  }
  if (uncertain) log.warn('request failed after it may have succeeded; a retry will reconcile first');
}

function claimLostError(): ApiError {
  return new ApiError(
    409,
    'idempotency_in_progress',
    'another request with this Idempotency-Key took over while this one was looking for an earlier ' +
      "attempt's result; nothing was done: retry shortly",
    { headers: { 'Retry-After': '1' } },
  );
}

/** The `id` of a result object, for logs: the only field of a sub-user that is safe to log. */
function idOf(result: unknown): unknown {
  return typeof result === 'object' && result !== null && 'id' in result ? result.id : undefined;
}

function replay(c: Context<AppEnv>, stored: StoredResponse): Response {
  return c.body(stored.bodyJson, stored.status as 200 | 201, {
    'Content-Type': 'application/json',
    [REPLAYED_HEADER]: 'true',
  });
}
