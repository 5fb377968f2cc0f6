/**
 * Idempotency-Key records for the admin API, one Durable Object per key (`idFromName(key)`).
 *
 * KV cannot do this: it is eventually consistent and has no compare-and-set, so two concurrent
 * requests with the same key would both see "no record" and both create a sub-user. A Durable
 * Object runs one method at a time per key, and each method below reads and writes its SQLite
 * storage synchronously (no `await` in between), so `begin` is an atomic check-and-set.
 *
 * Lifecycle: begin(fingerprint) → pending → complete(response) → done; abort() → gone, after a
 * failure that certainly created nothing, so the caller's retry runs; markUncertain() → uncertain,
 * after a failure that may have created the sub-user anyway (timeout, 5xx): the next begin() then
 * says `reconcile`, and the route looks for the sub-user before creating one. Records expire after
 * IDEMPOTENCY_TTL_SECONDS (checked on read, and deleted by an alarm).
 *
 * The stored response is the sub-user Webshare created, proxy password included: replaying it is
 * the point of the key (a retrying caller must get the credentials it missed). It lives only in this
 * object's storage, never in KV or logs, and is deleted when the key expires.
 */
import { DurableObject } from 'cloudflare:workers';
import { IDEMPOTENCY_PENDING_LEASE_SECONDS, IDEMPOTENCY_TTL_SECONDS } from './keys';

const RECORD_KEY = 'record';
const MS_PER_SECOND = 1000;
const LEASE_MS = IDEMPOTENCY_PENDING_LEASE_SECONDS * MS_PER_SECOND;

export interface StoredResponse {
  status: number;
  /** The JSON body as sent, replayed byte for byte. */
  bodyJson: string;
}

type IdempotencyRecord =
  | { state: 'pending'; fingerprint: string; leaseExpiresAtMs: number; expiresAtMs: number }
  | { state: 'uncertain'; fingerprint: string; expiresAtMs: number }
  | { state: 'done'; fingerprint: string; response: StoredResponse; expiresAtMs: number };

export type BeginResult =
  /** No live record: the caller owns the key now and must call complete() or abort(). */
  | { outcome: 'new' }
  /** Another request with this key is still running. */
  | { outcome: 'in_progress' }
  /** The key was used with a different request. */
  | { outcome: 'mismatch' }
  /** An earlier attempt may have succeeded: the caller owns the key and must look before creating. */
  | { outcome: 'reconcile' }
  /** The same request already finished: replay its response. */
  | { outcome: 'replay'; response: StoredResponse };

export class IdempotencyKeyStore extends DurableObject {
  /** Claims the key for `fingerprint`, or says why not. Atomic: no await between read and write. */
  begin(fingerprint: string): BeginResult {
    const now = Date.now();
    const record = this.#live(now);
    if (record === undefined) {
      const expiresAtMs = now + IDEMPOTENCY_TTL_SECONDS * MS_PER_SECOND;
      this.#put({ state: 'pending', fingerprint, leaseExpiresAtMs: now + LEASE_MS, expiresAtMs });
      void this.ctx.storage.setAlarm(expiresAtMs);
      return { outcome: 'new' };
    }
    if (record.fingerprint !== fingerprint) return { outcome: 'mismatch' };
    if (record.state === 'pending') return { outcome: 'in_progress' };
    if (record.state === 'uncertain') {
      this.#put({ ...record, state: 'pending', leaseExpiresAtMs: now + LEASE_MS });
      return { outcome: 'reconcile' };
    }
    return { outcome: 'replay', response: record.response };
  }

  /** Stores the finished response for replay; only the request that began with `fingerprint` may. */
  complete(fingerprint: string, response: StoredResponse): boolean {
    const record = this.#live(Date.now());
    if (record?.state !== 'pending' || record.fingerprint !== fingerprint) return false;
    this.#put({ state: 'done', fingerprint, response, expiresAtMs: record.expiresAtMs });
    return true;
  }

  /** Keeps the key after a failure that may have created the sub-user, so a retry reconciles first. */
  markUncertain(fingerprint: string): boolean {
    const record = this.#live(Date.now());
    if (record?.state !== 'pending' || record.fingerprint !== fingerprint) return false;
    this.#put({ state: 'uncertain', fingerprint, expiresAtMs: record.expiresAtMs });
    return true;
  }

  /** Releases a pending claim after a failure that created nothing, so a retry can run. */
  abort(fingerprint: string): boolean {
    const record = this.#live(Date.now());
    if (record?.state !== 'pending' || record.fingerprint !== fingerprint) return false;
    this.ctx.storage.kv.delete(RECORD_KEY);
    return true;
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  #put(record: IdempotencyRecord): void {
    this.ctx.storage.kv.put<IdempotencyRecord>(RECORD_KEY, record);
  }

  /**
   * The record if it still counts. A pending record outlives its lease only when the Worker died
   * mid-request; after the lease a retry may run rather than see 409 until the key expires.
   */
  #live(now: number): IdempotencyRecord | undefined {
    const record = this.ctx.storage.kv.get<IdempotencyRecord>(RECORD_KEY);
    if (record === undefined || record.expiresAtMs <= now) return undefined;
    if (record.state === 'pending' && record.leaseExpiresAtMs <= now) return undefined;
    return record;
  }
}
