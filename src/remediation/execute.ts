/**
 * Executes a remediation plan with the tick's own Webshare client, so every replacement and refresh
 * draws from the tick's subrequest budget and rate-limit window. Never throws for Webshare trouble:
 * each outcome is an entry, and what should be tried again is carried to the next tick as pending.
 *
 * Replacements are writes the client never retries after a 5xx or a timeout (Webshare may have done
 * them); the retry happens on a later tick, where Webshare answering "no proxy matches" for the old
 * address proves the lost attempt went through, so it counts as done rather than failing again.
 */
import type { SubrequestBudget } from '../lib/budget';
import type { Logger } from '../lib/log';
import type { WebshareApi } from '../webshare/api';
import type { ReplacementInfo } from '../webshare/schemas';
import { classifyError, describe } from './classify';
import { skipEntry, toPending, type RemediationPlan } from './plan';
import { MAX_FAILED_ATTEMPTS, PENDING_KEPT, RECENT_REPLACED_KEPT } from './state';
import type {
  InFlightReplacement,
  PendingReplacement,
  RemediationEntry,
  RemediationState,
  ReplacedProxy,
} from '../model/remediation';

export { classifyError };

/** Notices kept in hand for the grouped skip notices sent after the actions (one per skip reason, typically). */
export const SKIP_NOTICE_ALLOWANCE = 2;

export type RemediationClient = Pick<
  WebshareApi,
  'createReplacement' | 'refreshProxyList' | 'getReplacement' | 'replacesAsynchronously'
>;

export interface ExecuteInput {
  plan: RemediationPlan;
  /** Rolled to today. */
  state: RemediationState;
  client: RemediationClient;
  budget: SubrequestBudget;
  /** Subrequests left untouched for the rest of the tick (the alert engine's reserve). */
  keepSubrequests: number;
  /** Subrequests one notice needs (one attempt on each configured channel). */
  noticeCost: number;
  nowMs: number;
  log: Logger;
}

export interface ExecuteResult {
  entries: RemediationEntry[];
  state: RemediationState;
  /** Replacements done this tick (`replaced` and `already_replaced`). */
  replaced: number;
  /** proxy_replacements_available after this tick; null when unknown. */
  replacementsLeft: number | null;
  /** Webshare's replacement info after a refresh went through. */
  refreshInfo: ReplacementInfo | null;
}

const DEFERRED_TEXT = {
  budget: 'no subrequests left this tick',
  rate_limited: "Webshare's rate limit is reached",
  replacement_in_progress: 'Webshare is still carrying out an earlier replacement',
} as const;

export async function executeRemediation(input: ExecuteInput): Promise<ExecuteResult> {
  const { plan, client, budget, noticeCost, nowMs } = input;
  const nowIso = new Date(nowMs).toISOString();
  const dryRun = plan.mode === 'dry_run';
  const entries: RemediationEntry[] = [];
  const pending: PendingReplacement[] = [...plan.deferred];
  const replacedNow: ReplacedProxy[] = [];
  const started: InFlightReplacement[] = [];
  let incident = plan.incident;
  let notices = 0;
  let replaced = 0;
  let left = plan.replacementsAvailable;
  let refreshInfo: ReplacementInfo | null = null;
  let refreshed = false;

  // An action is sent only if the request and its notice fit above the reserve and the skip notices.
  const fits = () =>
    budget.remaining - input.keepSubrequests - noticeCost * (notices + 1 + SKIP_NOTICE_ALLOWANCE) >= 1;
  const act = (entry: RemediationEntry) => {
    entries.push(entry);
    notices++;
  };

  if (plan.refresh && incident) {
    const what = `${plan.refresh.invalid} of ${plan.refresh.total} proxies invalid (${Math.round(plan.refresh.invalid_ratio * 1000) / 10}%)`;
    const instead = plan.replacements.length
      ? `, instead of replacing ${plan.replacements.length} one by one`
      : '';
    if (dryRun) {
      refreshed = true;
      act({
        action: 'refresh',
        target: 'proxy_list',
        outcome: 'would_refresh',
        reason: null,
        detail: `Dry run: would refresh the whole proxy list: ${what}${instead}.`,
      });
    } else if (!fits()) {
      entries.push({
        action: 'refresh',
        target: 'proxy_list',
        outcome: 'skipped',
        reason: 'budget',
        detail: 'Not refreshing the proxy list: this tick has no subrequests left for it.',
      });
    } else {
      try {
        refreshInfo = await client.refreshProxyList();
        refreshed = true;
        incident = { ...incident, refreshed_at: nowIso, refresh_attempts: incident.refresh_attempts + 1 };
        act({
          action: 'refresh',
          target: 'proxy_list',
          outcome: 'refreshed',
          reason: null,
          detail: `Refreshed the whole proxy list: ${what}${instead}; ${refreshInfo.ondemand_refreshes_available} on-demand refreshes left.`,
          left: refreshInfo.ondemand_refreshes_available,
        });
      } catch (error) {
        const verdict = classifyError(error);
        input.log.warn('remediation: refresh not done', { verdict: verdict.kind, error: describe(error) });
        if (verdict.kind === 'deferred') {
          entries.push({
            action: 'refresh',
            target: 'proxy_list',
            outcome: 'skipped',
            reason: verdict.reason,
            detail: `Not refreshing the proxy list now: ${DEFERRED_TEXT[verdict.reason]}; trying again after the next sweep.`,
          });
        } else {
          const failed = verdict.kind === 'failed';
          // A refusal (no refresh left, or any 4xx) ends the attempts for this incident; a failure is retried.
          incident = {
            ...incident,
            refresh_attempts: failed ? incident.refresh_attempts + 1 : MAX_FAILED_ATTEMPTS,
          };
          act({
            action: 'refresh',
            target: 'proxy_list',
            outcome: failed ? 'failed' : 'rejected',
            reason: null,
            detail: failed
              ? `Refreshing the proxy list failed (${verdict.message}); trying again after the next sweep (attempt ${incident.refresh_attempts} of ${MAX_FAILED_ATTEMPTS}).`
              : `Webshare refused to refresh the proxy list (${'message' in verdict ? verdict.message : 'rejected'}); replacing proxies one by one instead.`,
            attempt: incident.refresh_attempts,
          });
        }
      }
    }
  }

  let exhausted = false;
  for (const p of refreshed ? [] : plan.replacements) {
    const base = {
      action: 'replace' as const,
      target: p.address,
      ...(p.consecutive_sweeps !== null ? { consecutive_sweeps: p.consecutive_sweeps } : {}),
    };
    const invalidFor = p.consecutive_sweeps !== null ? ` (invalid for ${p.consecutive_sweeps} sweeps)` : '';
    if (exhausted) {
      entries.push(skipEntry(p, 'reserve', ' (Webshare reports none left)'));
      continue;
    }
    if (dryRun) {
      left = left === null ? null : left - 1;
      act({
        ...base,
        outcome: 'would_replace',
        reason: null,
        detail: `Dry run: would replace ${p.address}${invalidFor}; ${left ?? 'unknown'} replacements would be left.`,
        left,
      });
      continue;
    }
    if (!fits()) {
      entries.push(skipEntry(p, 'budget', '; trying again next tick'));
      pending.push(toPending(p));
      continue;
    }
    try {
      const result = await client.createReplacement(p.address);
      replaced++;
      left = left === null ? null : left - 1;
      replacedNow.push({ address: p.address, new_address: result.new_ip_address, at: nowIso });
      if (result.id !== undefined && result.state !== undefined && result.state !== 'completed') {
        // v2: accepted, not done. Counted now (cap, quota); followed and announced on later ticks.
        started.push({
          id: result.id,
          address: p.address,
          since: nowIso,
          origin: 'remediation',
          checks: 0,
          ...(p.consecutive_sweeps !== null ? { consecutive_sweeps: p.consecutive_sweeps } : {}),
        });
        act({
          ...base,
          outcome: 'started',
          reason: null,
          detail: `Replacing ${p.address}${invalidFor}: Webshare accepted it (replacement ${result.id}, ${result.state}); ${left ?? 'unknown'} replacements left. The new address is announced when it completes.`,
          replacement_id: result.id,
          left,
          attempt: p.attempts + 1,
        });
        continue;
      }
      act({
        ...base,
        outcome: 'replaced',
        reason: null,
        detail: `Replaced ${p.address} → ${result.new_ip_address ?? 'a new proxy'}${invalidFor}; ${left ?? 'unknown'} replacements left.`,
        new_address: result.new_ip_address,
        left,
        attempt: p.attempts + 1,
      });
    } catch (error) {
      const verdict = classifyError(error);
      input.log.warn('remediation: replacement not done', {
        address: p.address,
        verdict: verdict.kind,
        error: describe(error),
      });
      switch (verdict.kind) {
        case 'gone':
          // Webshare no longer lists it: an earlier attempt whose answer was lost, or another run, replaced it.
          replaced++;
          replacedNow.push({ address: p.address, new_address: null, at: nowIso });
          act({
            ...base,
            outcome: 'already_replaced',
            reason: null,
            detail: `${p.address} is no longer in the proxy list: it was already replaced (an earlier attempt went through); ${left ?? 'unknown'} replacements left.`,
            left,
            attempt: p.attempts + 1,
          });
          break;
        case 'deferred':
          entries.push(skipEntry(p, verdict.reason, '; trying again next tick'));
          pending.push(toPending(p));
          break;
        case 'exhausted':
          exhausted = true;
          left = 0;
          act({
            ...base,
            outcome: 'rejected',
            reason: null,
            detail: `Webshare refused to replace ${p.address}: no replacements left (${verdict.message}).`,
            left: 0,
            attempt: p.attempts + 1,
          });
          break;
        case 'rejected':
          act({
            ...base,
            outcome: 'rejected',
            reason: null,
            detail: `Webshare refused to replace ${p.address} (${verdict.message}); not retrying it.`,
            attempt: p.attempts + 1,
          });
          break;
        case 'failed': {
          const attempt = p.attempts + 1;
          const retry = attempt < MAX_FAILED_ATTEMPTS ? 'retrying next tick' : 'giving up for today';
          pending.push({ ...toPending(p), attempts: attempt, last_error: verdict.message });
          act({
            ...base,
            outcome: 'failed',
            reason: null,
            detail: `Replacing ${p.address} failed (${verdict.message}); ${retry} (attempt ${attempt} of ${MAX_FAILED_ATTEMPTS}).`,
            attempt,
          });
          break;
        }
      }
    }
  }

  const unique = new Map<string, PendingReplacement>();
  for (const p of refreshed && !dryRun ? [] : pending) if (!unique.has(p.address)) unique.set(p.address, p);
  return {
    // After a refresh, per-proxy skips (reserve, cap...) no longer apply: every proxy was replaced.
    entries: [...entries, ...plan.skips.filter((s) => !refreshed || s.action === 'refresh')],
    state: {
      ...input.state,
      replaced_today: input.state.replaced_today + replaced,
      recent: [...replacedNow.reverse(), ...input.state.recent].slice(0, RECENT_REPLACED_KEPT),
      pending: [...unique.values()].slice(0, PENDING_KEPT),
      in_flight: [...(input.state.in_flight ?? []), ...started],
      incident,
    },
    replaced,
    replacementsLeft: left,
    refreshInfo,
  };
}
