/**
 * Every KV key prefix and TTL of the project, in one place. KV on the Workers Free plan allows
 * 1,000 writes a day, so each area documents how often it writes. Add new keys here, never inline.
 */

export const KV_PREFIX = {
  /**
   * Snapshot history, bucketed by hour: `history:<yyyy-mm-ddThh>`. The newest bucket also carries the
   * poller state, so a tick makes one write (src/storage/poller-store.ts).
   */
  history: 'history:',
  /** Alert engine state: lifecycle per alert key. */
  alertState: 'alerts:state',
  /** Notifications not yet delivered, retried on following ticks. */
  outbox: 'alerts:outbox',
  /** Silences. */
  silences: 'alerts:silences',
  /**
   * Sub-users created or deleted since the last full sub-user refresh (src/storage/recent-subusers.ts):
   * one document, written once per create or delete, never by a tick.
   */
  recentSubusers: 'subusers:recent',
  /**
   * Dashboard sessions ended by logout: `dashboard:revoked:<session id>`, written once per logout,
   * expiring with the session it revokes (src/storage/sessions.ts).
   */
  revokedSession: 'dashboard:revoked:',
  /**
   * The Webshare dialect WEBSHARE_API_VERSION=auto probed ({dialect, source, decided_at}): written
   * once per probe, deleted when the chosen dialect answers 404 (src/storage/dialect-choice.ts).
   */
  dialect: 'webshare:dialect',
  /**
   * v2 replacements started outside a tick, for the tick to follow: `replacement:v2:<id>`, the record
   * in the key's metadata; one write per replacement, deleted once announced
   * (src/storage/tracked-replacements.ts).
   */
  trackedReplacement: 'replacement:v2:',
} as const;

/** A forgotten tracked replacement (its tick never saw it finish) expires after a week. */
export const TRACKED_REPLACEMENT_TTL_SECONDS = 7 * 86_400;
/** Requests outside ticks may see a new dialect choice up to a minute late (KV's edge cache). */
export const DIALECT_CACHE_TTL_SECONDS = 60;

/**
 * How long a recent create or delete is remembered. A full sub-user refresh starts every 15 minutes
 * and may span a few ticks; two hours covers several refreshes, even with a few failing.
 */
export const RECENT_SUBUSERS_TTL_SECONDS = 2 * 3600;

// What needs a compare-and-set is not in KV: Idempotency-Keys and chat-ops replay records live in the
// IdempotencyKeyStore Durable Object, signup/Stripe delivery records in CustomerProvisioner, and the
// poll cycle's lease in PollLock. Their lifetimes are below.

export const SECONDS_PER_DAY = 86_400;
/** How long an Idempotency-Key is remembered (Stripe keeps them 24 h). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/**
 * How long a pending Idempotency-Key claim blocks duplicates (409). Longer than one sub-user create
 * can take (10 s Webshare timeout; writes retry only after a 429 within 10 s); after it, a claim left
 * by a Worker that died mid-request no longer blocks the caller's retry.
 */
export const IDEMPOTENCY_PENDING_LEASE_SECONDS = 60;
/** How long a webhook delivery id is remembered; senders retry for up to ~3 days (Stripe). */
export const HOOK_DELIVERY_TTL_SECONDS = 7 * SECONDS_PER_DAY;
/**
 * Chat-ops replay records (src/chatops/replay-guard.ts) are not in KV: each mutating chat-ops request
 * claims one IdempotencyKeyStore object (IDEMPOTENCY binding), named `<this prefix><platform> <id>`,
 * because KV cannot stop two copies sent at once. The space keeps these names apart from admin
 * Idempotency-Keys (printable ASCII without spaces). A record lives IDEMPOTENCY_TTL_SECONDS (24 h),
 * well past the 5-minute signature window, and is then deleted by the object's alarm.
 */
export const CHATOPS_REQUEST_OBJECT_PREFIX = 'chatops-request ';
/** KV's minimum expirationTtl. */
export const KV_MIN_TTL_SECONDS = 60;

/**
 * Keys inside each CustomerProvisioner Durable Object's own storage (one object per sender and
 * customer, named `<source> <customer id>`, so the keys need no customer id). Strongly consistent,
 * unlike KV: exactly-once provisioning relies on it.
 */
export const PROVISIONER_KEY = {
  /** The customer's provisioning state: holdings (subscriptions, checkouts), sub-user id, plan, pending marker. */
  customer: 'customer',
  /** Delivery dedup records: `delivery:<source>:<delivery id>` → pending | done + original response. */
  delivery: 'delivery:',
  /** Set just before a sub-user create is sent, cleared once its result is recorded (CreatingMarker). */
  creating: 'creating',
  /** Set once this object has asked the legacy object (named by the bare customer id) for its state. */
  legacyChecked: 'legacy-checked',
  /** In a legacy object: the sender its state was handed over to, so it is handed over once. */
  handedOver: 'handed-over',
} as const;

/**
 * Alert engine keys (all single JSON documents, read and written by src/storage/alert-state.ts,
 * alert-outbox.ts and silences.ts; parsed by src/alerts/state-store.ts and silences.ts):
 * - `alerts:state`: lifecycle records, the engine's own outbox and delivery log. Written only on a
 *   transition, a delivery attempt or an expiry — never in a steady tick.
 * - `alerts:outbox`: the delivery log and retry queue of one-off `notifyAll` messages (one write per
 *   notifyAll call; written by the engine only when it retries or expires one of them).
 * - `alerts:silences`: written only by POST/DELETE /v1/silences.
 * None expire through KV: each document prunes its own entries (outbox TTL, silence end).
 */
export const ALERT_RECENT_LIMIT = 20;
export const ALERT_UNDELIVERABLE_LIMIT = 20;
/** Upper bound of queued notifications kept; the oldest are dropped beyond it (and logged). */
export const ALERT_OUTBOX_LIMIT = 200;
export const SILENCES_LIMIT = 100;
