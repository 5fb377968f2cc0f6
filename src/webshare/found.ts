/**
 * What a lost attempt made: after a failure that may have done the work anyway (timeout, 5xx), the
 * Idempotency-Key retry looks for the thing made since the key was first claimed before doing it again.
 */

/**
 * Webshare's clock and ours may disagree a little. A lost write lands after the key was claimed,
 * one round trip later; this much earlier still counts, so a skewed clock does not make a duplicate.
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 1_000;

/**
 * True when `createdAt` is at or after `sinceMs` (less the skew allowance). Without a creation time a
 * thing cannot be shown to be new, so it is not claimed.
 */
export function createdSince(createdAt: string | null | undefined, sinceMs: number): boolean {
  if (!createdAt) return false;
  const createdMs = Date.parse(createdAt);
  return Number.isFinite(createdMs) && createdMs >= sinceMs - CLOCK_SKEW_ALLOWANCE_MS;
}
