/**
 * What one authorised-IP change request may spend on Webshare, counted against the Workers Free
 * plan's 50 subrequests per request, sized for the dialect that spends most: v2. v2 writes one address per call, so the number of addresses added
 * and removed decides it; the writes are not the only cost. Every Webshare call is preceded by rate
 * gate round trips (a Durable Object call each: HTTP paths refill 1, 2, then MAX_REFILL_SLOTS slots at
 * a time), the change holds the ACCESS_LOCK (acquire and release), and the change is announced after
 * it. Left uncounted, the removals (done last) are what runs out, and old addresses stay authorised.
 */
import { MAX_REFILL_SLOTS } from '../rate-slots';

/** Subrequests a Workers Free plan request may make. */
export const FREE_PLAN_SUBREQUESTS = 50;
/** ACCESS_LOCK: acquire and release (./change-lock.ts). */
export const ACCESS_LOCK_SUBREQUESTS = 2;
/**
 * The announcement of the change, sent from outside a tick: the budget cycle/hand-over.ts gives it
 * (OUTSIDE_TICK_SUBREQUESTS, one attempt per channel) plus the hand-over to the poll lock. A test
 * keeps the two figures equal (this layer may not import cycle/).
 */
export const ACCESS_ANNOUNCEMENT_SUBREQUESTS = 6 + 1;
/** What a change request spends besides Webshare and the rate gate. */
export const ACCESS_REQUEST_OVERHEAD_SUBREQUESTS = ACCESS_LOCK_SUBREQUESTS + ACCESS_ANNOUNCEMENT_SUBREQUESTS;
/** Before any write: the dialect probe (WEBSHARE_API_VERSION=auto, not yet stored) and the one list page, each with a gate round trip. */
const BEFORE_WRITES_SUBREQUESTS = 2 + 2;

/** Rate gate round trips for `writes` calls after the probe and the list took the refills of 1 slot. */
function writeRoundTrips(writes: number): number {
  if (writes === 0) return 0;
  // The next refill asks for 2, every one after for MAX_REFILL_SLOTS.
  return 1 + Math.ceil(Math.max(0, writes - 2) / MAX_REFILL_SLOTS);
}

/** The worst case of a v2 change request of `changes` additions and removals, without retries. */
export function v2ChangeSubrequests(changes: number): number {
  return ACCESS_REQUEST_OVERHEAD_SUBREQUESTS + BEFORE_WRITES_SUBREQUESTS + changes + writeRoundTrips(changes);
}

function largestFitting(): number {
  let changes = 0;
  while (v2ChangeSubrequests(changes + 1) <= FREE_PLAN_SUBREQUESTS) changes++;
  return changes;
}

/**
 * Additions and removals together in one v2 change request (29): more is refused before anything is
 * written (AuthorizedIpsChangeTooLargeError, 422). Replacing 20 addresses with 20 others (40) takes
 * two requests.
 */
export const V2_MAX_CHANGES_PER_REQUEST = largestFitting();

/**
 * The subrequest budget for the Webshare calls and gate round trips of a change request: what the
 * Free plan leaves after the lock and the announcement. A retry beyond it stops the change with an
 * honest partial answer rather than the platform refusing a fetch.
 */
export const ACCESS_WEBSHARE_SUBREQUESTS = FREE_PLAN_SUBREQUESTS - ACCESS_REQUEST_OVERHEAD_SUBREQUESTS;
