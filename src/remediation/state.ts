/** The remediation part of the poller state: its empty value and the daily roll-over. */
import { emptyRemediationState, type RemediationState } from '../model/remediation';

/** Replaced addresses remembered (and never replaced again) for this long... */
export const RECENT_REPLACED_MAX_AGE_MS = 7 * 86_400_000;
/** ...and at most this many, so the state (one KV value with the history bucket) stays small. */
export const RECENT_REPLACED_KEPT = 200;
/** Pending candidates carried between ticks, at most. */
export const PENDING_KEPT = 100;
/** Notice dedupe keys kept per day. */
export const NOTIFIED_KEYS_KEPT = 500;
/** Failed attempts (5xx, timeouts) after which an address is left alone until the next UTC day. */
export const MAX_FAILED_ATTEMPTS = 3;

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The state as of `nowMs`: on a new UTC day the daily counter, the notice dedupe keys and the
 * given-up candidates are reset; replaced addresses older than the memory window are forgotten.
 */
export function rollDay(state: RemediationState | undefined, nowMs: number): RemediationState {
  const current = state ?? emptyRemediationState();
  const day = utcDay(nowMs);
  const recent = current.recent.filter((r) => nowMs - Date.parse(r.at) < RECENT_REPLACED_MAX_AGE_MS);
  if (current.day === day) return recent.length === current.recent.length ? current : { ...current, recent };
  return {
    ...current,
    day,
    replaced_today: 0,
    recent,
    pending: current.pending.filter((p) => p.attempts < MAX_FAILED_ATTEMPTS),
    notified: [],
  };
}
