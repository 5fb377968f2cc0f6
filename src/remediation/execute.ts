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
import type { WebshareApi } from '../webshare/port';
import type { ReplacementInfo } from '../webshare/types';
import { attemptRefresh, attemptReplacement, type ReplacementAttempt } from './attempts';
import { classifyError } from './classify';
import { refreshText, refreshWhy, replaceText } from './entry-text';
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

/** What one execution accumulates: entries, the carried state, the counters. */
class Run {
  readonly entries: RemediationEntry[] = [];
  readonly pending: PendingReplacement[];
  readonly replacedNow: ReplacedProxy[] = [];
  readonly started: InFlightReplacement[] = [];
  incident: RemediationPlan['incident'];
  notices = 0;
  replaced = 0;
  left: number | null;
  refreshInfo: ReplacementInfo | null = null;
  refreshed = false;
  exhausted = false;
  readonly nowIso: string;

  constructor(readonly input: ExecuteInput) {
    this.pending = [...input.plan.deferred];
    this.incident = input.plan.incident;
    this.left = input.plan.replacementsAvailable;
    this.nowIso = new Date(input.nowMs).toISOString();
  }

  /** An action is sent only if the request and its notice fit above the reserve and the skip notices. */
  fits(): boolean {
    const { budget, keepSubrequests, noticeCost } = this.input;
    return budget.remaining - keepSubrequests - noticeCost * (this.notices + 1 + SKIP_NOTICE_ALLOWANCE) >= 1;
  }

  /** An entry that is notified (actions and their failures). */
  act(entry: RemediationEntry): void {
    this.entries.push(entry);
    this.notices++;
  }
}

export async function executeRemediation(input: ExecuteInput): Promise<ExecuteResult> {
  const run = new Run(input);
  if (input.plan.refresh && run.incident) await refresh(run);
  for (const candidate of run.refreshed ? [] : input.plan.replacements) await replace(run, candidate);
  return result(run);
}

async function refresh(run: Run): Promise<void> {
  const { plan, client, log } = run.input;
  const why = refreshWhy(plan);
  const base = { action: 'refresh' as const, target: 'proxy_list' };
  if (plan.mode === 'dry_run') {
    run.refreshed = true;
    run.act({ ...base, outcome: 'would_refresh', reason: null, detail: refreshText.dryRun(why) });
    return;
  }
  if (!run.fits()) {
    run.entries.push({ ...base, outcome: 'skipped', reason: 'budget', detail: refreshText.noBudget() });
    return;
  }
  const incident = run.incident!;
  const attempt = await attemptRefresh(client, log);
  if (attempt.kind === 'refreshed') {
    const left = attempt.info.ondemand_refreshes_available;
    run.refreshInfo = attempt.info;
    run.refreshed = true;
    run.incident = { ...incident, refreshed_at: run.nowIso, refresh_attempts: incident.refresh_attempts + 1 };
    run.act({ ...base, outcome: 'refreshed', reason: null, detail: refreshText.done(why, left), left });
    return;
  }
  if (attempt.kind === 'deferred') {
    const detail = refreshText.deferred(attempt.reason);
    run.entries.push({ ...base, outcome: 'skipped', reason: attempt.reason, detail });
    return;
  }
  // A refusal (no refresh left, or any 4xx) ends the attempts for this incident; a failure is retried.
  const failed = attempt.kind === 'failed';
  const attempts = failed ? incident.refresh_attempts + 1 : MAX_FAILED_ATTEMPTS;
  run.incident = { ...incident, refresh_attempts: attempts };
  run.act({
    ...base,
    outcome: failed ? 'failed' : 'rejected',
    reason: null,
    detail: failed ? refreshText.failed(attempt.message, attempts) : refreshText.rejected(attempt.message),
    attempt: attempts,
  });
}

async function replace(run: Run, p: RemediationPlan['replacements'][number]): Promise<void> {
  const base = {
    action: 'replace' as const,
    target: p.address,
    ...(p.consecutive_sweeps !== null ? { consecutive_sweeps: p.consecutive_sweeps } : {}),
  };
  const invalidFor = p.consecutive_sweeps !== null ? ` (invalid for ${p.consecutive_sweeps} sweeps)` : '';
  if (run.exhausted) {
    run.entries.push(skipEntry(p, 'reserve', ' (Webshare reports none left)'));
    return;
  }
  if (run.input.plan.mode === 'dry_run') {
    run.left = run.left === null ? null : run.left - 1;
    const detail = replaceText.dryRun(p.address, invalidFor, run.left);
    run.act({ ...base, outcome: 'would_replace', reason: null, detail, left: run.left });
    return;
  }
  if (!run.fits()) {
    run.entries.push(skipEntry(p, 'budget', '; trying again next tick'));
    run.pending.push(toPending(p));
    return;
  }
  const attempt = await attemptReplacement(run.input.client, p.address, run.input.log);
  recordReplacement(run, p, attempt, base, invalidFor);
}

/** What a replacement attempt does to the run: counters, state carried over, and its entry. */
function recordReplacement(
  run: Run,
  p: RemediationPlan['replacements'][number],
  attempt: ReplacementAttempt,
  base: Pick<RemediationEntry, 'action' | 'target' | 'consecutive_sweeps'>,
  invalidFor: string,
): void {
  const attemptNo = p.attempts + 1;
  const done = (newAddress: string | null) => {
    run.replaced++;
    run.replacedNow.push({ address: p.address, new_address: newAddress, at: run.nowIso });
  };
  switch (attempt.kind) {
    case 'replaced':
    case 'started': {
      done(attempt.newAddress);
      run.left = run.left === null ? null : run.left - 1;
      if (attempt.kind === 'started') {
        // v2: accepted, not done. Counted now (cap, quota); followed and announced on later ticks.
        run.started.push({
          id: attempt.id,
          address: p.address,
          since: run.nowIso,
          origin: 'remediation',
          checks: 0,
          ...(p.consecutive_sweeps !== null ? { consecutive_sweeps: p.consecutive_sweeps } : {}),
        });
        const detail = replaceText.started(p.address, invalidFor, attempt.id, attempt.state, run.left);
        const entry = { ...base, outcome: 'started' as const, reason: null, detail };
        run.act({ ...entry, replacement_id: attempt.id, left: run.left, attempt: attemptNo });
        return;
      }
      const detail = replaceText.replaced(p.address, attempt.newAddress, invalidFor, run.left);
      const entry = { ...base, outcome: 'replaced' as const, reason: null, detail };
      run.act({ ...entry, new_address: attempt.newAddress, left: run.left, attempt: attemptNo });
      return;
    }
    case 'gone':
      // Webshare no longer lists it: an earlier attempt whose answer was lost, or another run, replaced it.
      done(null);
      run.act({
        ...base,
        outcome: 'already_replaced',
        reason: null,
        detail: replaceText.gone(p.address, run.left),
        left: run.left,
        attempt: attemptNo,
      });
      return;
    case 'deferred':
      run.entries.push(skipEntry(p, attempt.reason, '; trying again next tick'));
      run.pending.push(toPending(p));
      return;
    case 'exhausted': {
      run.exhausted = true;
      run.left = 0;
      const exhausted = replaceText.exhausted(p.address, attempt.message);
      run.act({ ...base, outcome: 'rejected', reason: null, detail: exhausted, left: 0, attempt: attemptNo });
      return;
    }
    case 'rejected': {
      const rejected = replaceText.rejected(p.address, attempt.message);
      run.act({ ...base, outcome: 'rejected', reason: null, detail: rejected, attempt: attemptNo });
      return;
    }
    case 'failed': {
      run.pending.push({ ...toPending(p), attempts: attemptNo, last_error: attempt.message });
      const failed = replaceText.failed(p.address, attempt.message, attemptNo);
      run.act({ ...base, outcome: 'failed', reason: null, detail: failed, attempt: attemptNo });
      return;
    }
  }
}

function result(run: Run): ExecuteResult {
  const { input } = run;
  const dryRun = input.plan.mode === 'dry_run';
  const unique = new Map<string, PendingReplacement>();
  for (const p of run.refreshed && !dryRun ? [] : run.pending)
    if (!unique.has(p.address)) unique.set(p.address, p);
  return {
    // After a refresh, per-proxy skips (reserve, cap...) no longer apply: every proxy was replaced.
    entries: [...run.entries, ...input.plan.skips.filter((s) => !run.refreshed || s.action === 'refresh')],
    state: {
      ...input.state,
      replaced_today: input.state.replaced_today + run.replaced,
      recent: [...run.replacedNow.reverse(), ...input.state.recent].slice(0, RECENT_REPLACED_KEPT),
      pending: [...unique.values()].slice(0, PENDING_KEPT),
      in_flight: [...(input.state.in_flight ?? []), ...run.started],
      incident: run.incident,
    },
    replaced: run.replaced,
    replacementsLeft: run.left,
    refreshInfo: run.refreshInfo,
  };
}
