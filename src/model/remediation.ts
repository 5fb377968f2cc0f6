/**
 * Shapes of auto-remediation: what the poller carries between ticks (`RemediationState`, inside
 * PollerState) and what one tick did (`RemediationRecord`, inside the Snapshot).
 */

/** A replacement that went through (or was found already done): never replaced again while remembered. */
export interface ReplacedProxy {
  address: string;
  /** null when Webshare did not say (e.g. found already replaced after a lost answer). */
  new_address: string | null;
  at: string;
}

/** A candidate carried to the next tick: its replacement failed, or this tick had no room for it. */
export interface PendingReplacement {
  address: string;
  country_code: string | null;
  /** Failed attempts so far (deferrals for budget or rate limits do not count). */
  attempts: number;
  last_error: string | null;
  since: string;
}

/**
 * A v2 replacement Webshare accepted and is still carrying out (v2 replaces asynchronously): followed
 * on later ticks until it completes or fails, then announced.
 */
export interface InFlightReplacement {
  /** Webshare's replacement id (GET /api/v3/proxy/replace/{id}/). */
  id: number;
  address: string;
  since: string;
  /** Who started it: auto-remediation, the admin API or chat-ops. */
  origin: 'remediation' | 'admin' | 'chatops';
  consecutive_sweeps?: number;
  /** Reads that found it still in progress. */
  checks: number;
}

/** An invalid-ratio incident: opened when a finished sweep crosses the refresh threshold. */
export interface RefreshIncident {
  started_at: string;
  /** Consecutive finished sweeps at or above the threshold: one bad sweep must not spend a scarce refresh. */
  sweeps: number;
  /** When the one refresh of this incident went through; null while none has. */
  refreshed_at: string | null;
  refresh_attempts: number;
}

export interface RemediationState {
  /** UTC day (YYYY-MM-DD) the day-scoped fields below count for. */
  day: string;
  replaced_today: number;
  /** Newest first, bounded. */
  recent: ReplacedProxy[];
  pending: PendingReplacement[];
  incident: RefreshIncident | null;
  /** v2 replacements started and not yet finished (absent in states from before v2 support). */
  in_flight?: InFlightReplacement[];
  /** Dedupe keys of skip/refusal notices already sent on `day`, so a standing refusal is told once a day. */
  notified: string[];
}

export type RemediationAction = 'replace' | 'refresh';

export type RemediationOutcome =
  /** Done: Webshare replaced the proxy / refreshed the list. */
  | 'replaced'
  /** v2: Webshare accepted the replacement and carries it out; followed on later ticks. */
  | 'started'
  | 'refreshed'
  /** Webshare no longer lists the address: an earlier attempt (or another run) replaced it. Counts as done. */
  | 'already_replaced'
  /** Dry run: what would have been sent. */
  | 'would_replace'
  | 'would_refresh'
  /** Sent and failed (5xx, timeout, network): retried on a later tick. */
  | 'failed'
  /** Webshare refused it (a 4xx): not retried. */
  | 'rejected'
  /** Not sent, by our own rules (reserve, daily cap, budget...). */
  | 'skipped';

export type SkipReason =
  | 'reserve'
  | 'daily_cap'
  | 'replaced_recently'
  | 'quota_unknown'
  | 'budget'
  | 'rate_limited'
  | 'gave_up'
  | 'refresh_unavailable'
  | 'refreshed_this_incident'
  /** v2: Webshare is still carrying out an earlier replacement (`active_replacement`). */
  | 'replacement_in_progress';

export interface RemediationEntry {
  action: RemediationAction;
  /** The proxy address, or `proxy_list` for a refresh. */
  target: string;
  outcome: RemediationOutcome;
  reason: SkipReason | null;
  /** One human sentence, as notified. */
  detail: string;
  new_address?: string | null;
  /** Consecutive invalid sweeps of the target, when known. */
  consecutive_sweeps?: number;
  /** proxy_replacements_available after this entry (refresh: ondemand_refreshes_available). */
  left?: number | null;
  attempt?: number;
  /** v2: Webshare's replacement id. */
  replacement_id?: number;
}

/** What remediation did in one tick; null in the snapshot when it is off or had nothing to consider. */
export interface RemediationRecord {
  mode: 'live' | 'dry_run';
  /** `finished_at` of the fresh sweep acted on; null when only pending retries were handled. */
  sweep_finished_at: string | null;
  entries: RemediationEntry[];
  /** Replacements done today after this tick, and the cap. */
  replaced_today: number;
  max_per_day: number;
  pending: number;
  /** Entries left out of `entries` to keep the snapshot small. */
  omitted: number;
}

export function emptyRemediationState(): RemediationState {
  return { day: '', replaced_today: 0, recent: [], pending: [], incident: null, notified: [] };
}
