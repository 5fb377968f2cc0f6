/**
 * Pure planning: from a fresh finished sweep (or none), the quotas and the carried state, which
 * proxies to replace, whether to refresh the whole list, and what to skip and why. No I/O; the
 * executor sends what this plans and handles what only the tick can know (budget, Webshare's answer).
 */
import type { QuotaSummary, SweepResult } from '../model/snapshot';
import type { RemediationConfig } from '../config/remediation';
import { MAX_FAILED_ATTEMPTS } from './state';
import type {
  PendingReplacement,
  RefreshIncident,
  RemediationEntry,
  RemediationState,
  SkipReason,
} from '../model/remediation';

export interface PlanInput {
  /** The sweep that finished THIS tick; null when none did (a carried-over sweep is never acted on). */
  sweep: SweepResult | null;
  quotas: QuotaSummary | null;
  config: RemediationConfig;
  /** Already rolled to today (see rollDay). */
  state: RemediationState;
  nowMs: number;
}

export interface PlannedReplacement {
  address: string;
  country_code: string | null;
  consecutive_sweeps: number | null;
  /** Failed attempts before this one. */
  attempts: number;
  last_error: string | null;
  since: string;
}

export interface PlannedRefresh {
  invalid: number;
  total: number;
  invalid_ratio: number;
}

export interface RemediationPlan {
  mode: 'live' | 'dry_run';
  refresh: PlannedRefresh | null;
  /** In order: pending retries first, then the most persistent. Each passed reserve and daily cap. */
  replacements: PlannedReplacement[];
  skips: RemediationEntry[];
  /** Candidates carried to the next tick untouched (the quotas were unknown). */
  deferred: PendingReplacement[];
  /** The incident after this tick's sweep: opened, kept or closed (unchanged without a fresh sweep). */
  incident: RefreshIncident | null;
  /** Replacements left before this tick's actions, null when unknown. */
  replacementsAvailable: number | null;
}

interface Candidate extends PlannedReplacement {
  pending: boolean;
}

const SKIP_TEXT: Record<SkipReason, string> = {
  reserve: 'the replacement reserve is reached',
  daily_cap: 'the daily replacement cap is reached',
  replaced_recently: 'it was replaced recently (the sweep predates the replacement)',
  quota_unknown: 'the replacement quota could not be read this tick',
  budget: 'this tick has no subrequests left for it',
  rate_limited: "Webshare's rate limit is reached for now",
  gave_up: `${MAX_FAILED_ATTEMPTS} attempts failed today`,
  refresh_unavailable: 'no on-demand refresh is available',
  refreshed_this_incident: 'the list was already refreshed once in this incident',
  replacement_in_progress: 'Webshare is still carrying out an earlier replacement',
};

export function skipEntry(
  candidate: { address: string; consecutive_sweeps: number | null },
  reason: SkipReason,
  extra = '',
): RemediationEntry {
  return {
    action: 'replace',
    target: candidate.address,
    outcome: 'skipped',
    reason,
    detail: `Not replacing ${candidate.address}: ${SKIP_TEXT[reason]}${extra}.`,
    ...(candidate.consecutive_sweeps !== null ? { consecutive_sweeps: candidate.consecutive_sweeps } : {}),
  };
}

function refreshSkip(reason: SkipReason, extra = ''): RemediationEntry {
  return {
    action: 'refresh',
    target: 'proxy_list',
    outcome: 'skipped',
    reason,
    detail: `Not refreshing the proxy list: ${SKIP_TEXT[reason]}${extra}.`,
  };
}

function candidates(input: PlanInput): Candidate[] {
  const { sweep, config, state, nowMs } = input;
  const nowIso = new Date(nowMs).toISOString();
  const invalidNow = new Map(sweep?.invalid_proxies.map((p) => [p.proxy_address, p]) ?? []);
  // The snapshot names at most a few hundred invalid proxies; only a complete list proves recovery.
  const sweepIsComplete = sweep !== null && sweep.invalid_proxies.length >= sweep.invalid;
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const p of state.pending) {
    if (sweepIsComplete && !invalidNow.has(p.address)) continue; // recovered (or gone) since it was queued
    seen.add(p.address);
    out.push({
      address: p.address,
      country_code: p.country_code,
      consecutive_sweeps: invalidNow.get(p.address)?.consecutive_sweeps ?? null,
      attempts: p.attempts,
      last_error: p.last_error,
      since: p.since,
      pending: true,
    });
  }
  for (const p of sweep?.invalid_proxies ?? []) {
    if (p.consecutive_sweeps < config.replace_after_sweeps || seen.has(p.proxy_address)) continue;
    seen.add(p.proxy_address);
    out.push({
      address: p.proxy_address,
      country_code: p.country_code,
      consecutive_sweeps: p.consecutive_sweeps,
      attempts: 0,
      last_error: null,
      since: nowIso,
      pending: false,
    });
  }
  return out;
}

function planIncident(input: PlanInput): RefreshIncident | null {
  const { sweep, config, state, nowMs } = input;
  if (sweep === null) return state.incident;
  if (sweep.total === 0 || sweep.invalid_ratio * 100 < config.refresh_on_invalid_ratio_percent) return null;
  if (state.incident) return { ...state.incident, sweeps: state.incident.sweeps + 1 };
  return { started_at: new Date(nowMs).toISOString(), sweeps: 1, refreshed_at: null, refresh_attempts: 0 };
}

export function planRemediation(input: PlanInput): RemediationPlan {
  const { sweep, quotas, config, state } = input;
  const mode = config.dry_run ? 'dry_run' : 'live';
  const skips: RemediationEntry[] = [];
  const incident = planIncident(input);
  const replacementsAvailable = quotas?.proxy_replacements_available ?? null;

  let refresh: PlannedRefresh | null = null;
  // Like a single proxy, the list must stay above the threshold for K consecutive sweeps: one bad
  // sweep must not spend a scarce on-demand refresh.
  const incidentLasted = incident !== null && incident.sweeps >= config.replace_after_sweeps;
  if (sweep !== null && incident !== null && incidentLasted && config.refresh_enabled) {
    const ratio = ` (${Math.round(sweep.invalid_ratio * 1000) / 10}% invalid)`;
    if (incident.refreshed_at !== null) skips.push(refreshSkip('refreshed_this_incident', ratio));
    else if (incident.refresh_attempts >= MAX_FAILED_ATTEMPTS) skips.push(refreshSkip('gave_up', ratio));
    else if (quotas === null) skips.push(refreshSkip('quota_unknown', ratio));
    else if (quotas.ondemand_refreshes_available <= 0) skips.push(refreshSkip('refresh_unavailable', ratio));
    else refresh = { invalid: sweep.invalid, total: sweep.total, invalid_ratio: sweep.invalid_ratio };
  }

  const replacements: PlannedReplacement[] = [];
  const deferred: PendingReplacement[] = [];
  const recent = new Set(state.recent.map((r) => r.address));
  for (const candidate of candidates(input)) {
    const { pending: _pending, ...planned } = candidate;
    if (recent.has(candidate.address)) skips.push(skipEntry(candidate, 'replaced_recently'));
    else if (candidate.attempts >= MAX_FAILED_ATTEMPTS) {
      skips.push(skipEntry(candidate, 'gave_up'));
      deferred.push(toPending(planned)); // kept until the day rolls over, so it is not retried today
    } else if (quotas === null || replacementsAvailable === null) {
      skips.push(skipEntry(candidate, 'quota_unknown'));
      deferred.push(toPending(planned));
    } else if (state.replaced_today + replacements.length >= config.max_replacements_per_day) {
      skips.push(
        skipEntry(
          candidate,
          'daily_cap',
          ` (${state.replaced_today} of ${config.max_replacements_per_day} today)`,
        ),
      );
    } else if (replacementsAvailable - replacements.length <= config.keep_replacements) {
      skips.push(
        skipEntry(
          candidate,
          'reserve',
          ` (${replacementsAvailable - replacements.length} left, keeping ${config.keep_replacements})`,
        ),
      );
    } else replacements.push(planned);
  }
  return { mode, refresh, replacements, skips, deferred, incident, replacementsAvailable };
}

export function toPending(p: PlannedReplacement): PendingReplacement {
  return {
    address: p.address,
    country_code: p.country_code,
    attempts: p.attempts,
    last_error: p.last_error,
    since: p.since,
  };
}
