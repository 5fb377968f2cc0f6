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
 * says `reconcile`, and the route looks for the sub-user before creating one. A pending record whose
 * lease lapsed is uncertain too: the Worker died mid-request, perhaps after Webshare created the
 * sub-user. So once a key is claimed, begin() never says `new` again until the record expires, after
 * IDEMPOTENCY_TTL_SECONDS (checked on read, and deleted by an alarm). A reconciling attempt calls
 * renewLease() right before it writes: a look-up that outlasted the lease may have let another attempt
 * take the key over, and then only that attempt may write.
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
const TTL_MS = IDEMPOTENCY_TTL_SECONDS * MS_PER_SECOND;

export interface StoredResponse {
  status: number;
  /** The JSON body as sent, replayed byte for byte. */
  bodyJson: string;
}

interface RecordBase {
  fingerprint: string;
  /**
   * When the key was first claimed: anything a lost attempt made is at least this new. Absent on
   * records written before it was stored; then it is expiresAtMs - TTL, set by that same begin().
   */
  beganAtMs?: number;
  expiresAtMs: number;
}

type IdempotencyRecord = RecordBase &
  (
    | {
        state: 'pending';
        /** Names the attempt holding the lease; absent on records written before leases had one. */
        lease?: string;
        leaseExpiresAtMs: number;
      }
    | { state: 'uncertain' }
    | { state: 'done'; response: StoredResponse }
  );

export type BeginResult =
  /** No live record: the caller owns the key now and must call complete() or abort() with `lease`. */
  | { outcome: 'new'; lease: string }
  /** Another request with this key is still running. */
  | { outcome: 'in_progress' }
  /** The key was used with a different request. */
  | { outcome: 'mismatch' }
  /**
   * An earlier attempt may have succeeded (it failed uncertainly, or died and let its lease lapse):
   * the caller owns the key with `lease` and must look before creating.
   */
  | { outcome: 'reconcile'; lease: string; beganAtMs: number }
  /** The same request already finished: replay its response. */
  | { outcome: 'replay'; response: StoredResponse };

export class IdempotencyKeyStore extends DurableObject {
  /** Claims the key for `fingerprint`, or says why not. Atomic: no await between read and write. */
  begin(fingerprint: string): BeginResult {
    const now = Date.now();
    const record = this.#live(now);
    if (record === undefined) {
      const expiresAtMs = now + TTL_MS;
      const lease = crypto.randomUUID();
      this.#put({
        state: 'pending',
        fingerprint,
        lease,
        leaseExpiresAtMs: now + LEASE_MS,
        beganAtMs: now,
        expiresAtMs,
      });
      void this.ctx.storage.setAlarm(expiresAtMs);
      return { outcome: 'new', lease };
    }
    if (record.fingerprint !== fingerprint) return { outcome: 'mismatch' };
    if (record.state === 'pending' && record.leaseExpiresAtMs > now) return { outcome: 'in_progress' };
    // A lapsed lease means the attempt died mid-request (the lease is sized to outlast a live create),
    // perhaps after Webshare created the sub-user: the retry must look before it creates.
    if (record.state === 'pending' || record.state === 'uncertain') {
      const lease = crypto.randomUUID();
      const beganAtMs = record.beganAtMs ?? record.expiresAtMs - TTL_MS;
      this.#put({
        state: 'pending',
        fingerprint,
        lease,
        leaseExpiresAtMs: now + LEASE_MS,
        beganAtMs,
        expiresAtMs: record.expiresAtMs,
      });
      return { outcome: 'reconcile', lease, beganAtMs };
    }
    return { outcome: 'replay', response: record.response };
  }

  /**
   * Stores the finished response for replay. False, storing nothing, when the caller no longer holds
   * the claim: its lease lapsed and another attempt took the key over, or the record expired.
   */
  complete(fingerprint: string, response: StoredResponse, lease?: string): boolean {
    const record = this.#held(fingerprint, lease);
    if (!record) return false;
    const { beganAtMs, expiresAtMs } = record;
    this.#put({ state: 'done', fingerprint, response, beganAtMs, expiresAtMs });
    return true;
  }

  /**
   * True, and the lease runs for a full term again, when the caller still holds the key: no other
   * attempt took it over. Checked and renewed in one synchronous step, right before a reconciling
   * attempt writes, so a lease that lapsed during a long look-up can never let two attempts write.
   * A lease that lapsed without a takeover is still the caller's: no one else can be writing.
   */
  renewLease(fingerprint: string, lease: string): boolean {
    const record = this.#held(fingerprint, lease);
    if (!record) return false;
    this.#put({ ...record, leaseExpiresAtMs: Date.now() + LEASE_MS });
    return true;
  }

  /** Keeps the key after a failure that may have created the sub-user, so a retry reconciles first. */
  markUncertain(fingerprint: string, lease?: string): boolean {
    const record = this.#held(fingerprint, lease);
    if (!record) return false;
    const { beganAtMs, expiresAtMs } = record;
    this.#put({ state: 'uncertain', fingerprint, beganAtMs, expiresAtMs });
    return true;
  }

  /** Releases a pending claim after a failure that created nothing, so a retry can run. */
  abort(fingerprint: string, lease?: string): boolean {
    if (!this.#held(fingerprint, lease)) return false;
    this.ctx.storage.kv.delete(RECORD_KEY);
    return true;
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  /**
   * The pending record if the caller still holds it. `lease` tells a lapsed holder from the attempt
   * that took over: without it, a late abort() could free a key another attempt is working on, and
   * a fresh `new` could then create a second sub-user. Callers that finish at once, well inside the
   * lease, may leave it out; then only the fingerprint is checked.
   */
  #held(
    fingerprint: string,
    lease: string | undefined,
  ): Extract<IdempotencyRecord, { state: 'pending' }> | undefined {
    const record = this.#live(Date.now());
    if (record?.state !== 'pending' || record.fingerprint !== fingerprint) return undefined;
    if (lease !== undefined && record.lease !== lease) return undefined;
    return record;
  }

  #put(record: IdempotencyRecord): void {
    this.ctx.storage.kv.put<IdempotencyRecord>(RECORD_KEY, record);
  }

  /**
   * The record until it expires. A pending record past its lease still counts: begin() hands it to
   * the next attempt as `reconcile`, and the attempt that held it may still complete it.
   */
  #live(now: number): IdempotencyRecord | undefined {
    const record = this.ctx.storage.kv.get<IdempotencyRecord>(RECORD_KEY);
    if (record === undefined || record.expiresAtMs <= now) return undefined;
    return record;
  }
}
