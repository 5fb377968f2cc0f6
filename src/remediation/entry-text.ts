/** The one human sentence of each remediation entry, as notified and shown in the snapshot. */
import type { RemediationPlan } from './plan';
import { MAX_FAILED_ATTEMPTS } from './state';

type DeferReason = 'budget' | 'rate_limited' | 'replacement_in_progress';

const DEFERRED_TEXT: Record<DeferReason, string> = {
  budget: 'no subrequests left this tick',
  rate_limited: "Webshare's rate limit is reached",
  replacement_in_progress: 'Webshare is still carrying out an earlier replacement',
};

const leftText = (left: number | null) => `${left ?? 'unknown'}`;

/** "12 of 100 proxies invalid (12%), instead of replacing 12 one by one". */
export function refreshWhy(plan: RemediationPlan): string {
  const refresh = plan.refresh!;
  const what = `${refresh.invalid} of ${refresh.total} proxies invalid (${Math.round(refresh.invalid_ratio * 1000) / 10}%)`;
  const instead = plan.replacements.length
    ? `, instead of replacing ${plan.replacements.length} one by one`
    : '';
  return `${what}${instead}`;
}

export const refreshText = {
  dryRun: (why: string) => `Dry run: would refresh the whole proxy list: ${why}.`,
  noBudget: () => 'Not refreshing the proxy list: this tick has no subrequests left for it.',
  done: (why: string, left: number) =>
    `Refreshed the whole proxy list: ${why}; ${left} on-demand refreshes left.`,
  deferred: (reason: DeferReason) =>
    `Not refreshing the proxy list now: ${DEFERRED_TEXT[reason]}; trying again after the next sweep.`,
  failed: (message: string, attempt: number) =>
    `Refreshing the proxy list failed (${message}); trying again after the next sweep (attempt ${attempt} of ${MAX_FAILED_ATTEMPTS}).`,
  rejected: (message: string) =>
    `Webshare refused to refresh the proxy list (${message}); replacing proxies one by one instead.`,
};

export const replaceText = {
  dryRun: (address: string, invalidFor: string, left: number | null) =>
    `Dry run: would replace ${address}${invalidFor}; ${leftText(left)} replacements would be left.`,
  started: (address: string, invalidFor: string, id: number, state: string, left: number | null) =>
    `Replacing ${address}${invalidFor}: Webshare accepted it (replacement ${id}, ${state}); ${leftText(left)} replacements left. The new address is announced when it completes.`,
  replaced: (address: string, newAddress: string | null, invalidFor: string, left: number | null) =>
    `Replaced ${address} → ${newAddress ?? 'a new proxy'}${invalidFor}; ${leftText(left)} replacements left.`,
  gone: (address: string, left: number | null) =>
    `${address} is no longer in the proxy list: it was already replaced (an earlier attempt went through); ${leftText(left)} replacements left.`,
  exhausted: (address: string, message: string) =>
    `Webshare refused to replace ${address}: no replacements left (${message}).`,
  rejected: (address: string, message: string) =>
    `Webshare refused to replace ${address} (${message}); not retrying it.`,
  failed: (address: string, message: string, attempt: number) =>
    `Replacing ${address} failed (${message}); ${attempt < MAX_FAILED_ATTEMPTS ? 'retrying next tick' : 'giving up for today'} (attempt ${attempt} of ${MAX_FAILED_ATTEMPTS}).`,
};
