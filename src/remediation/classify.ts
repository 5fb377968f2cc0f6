/**
 * What a refusal or failure from Webshare means for remediation: done already, no quota left,
 * refused for good, deferred to a later tick, or failed (retry). v2 answers carry a machine-readable
 * `code`, and that decides; v1 answers carry only English, matched as a fallback.
 */
import {
  SubrequestBudgetExhaustedError,
  WebshareBadRequestError,
  WebshareError,
  WebshareLocalRateLimitError,
  WebshareRateLimitError,
  hasCode,
} from '../webshare/errors';

export type Verdict =
  | { kind: 'gone' }
  | { kind: 'exhausted'; message: string }
  | { kind: 'rejected'; message: string }
  | { kind: 'deferred'; reason: 'budget' | 'rate_limited' | 'replacement_in_progress' }
  | { kind: 'failed'; message: string };

export function describe(error: unknown): string {
  if (error instanceof WebshareError) return `${error.name}${error.status ? ` (${error.status})` : ''}`;
  return error instanceof Error ? error.name : 'unknown error';
}

/** v2 codes that refuse any call for the account or the key: nothing to retry. */
const ACCOUNT_REFUSALS = ['api_key_not_allowed', 'account_suspended', 'account_deleted'];

/**
 * What Webshare's answer means for the remediation. v2 answers carry a machine-readable `code`, and
 * that decides; v1 answers carry only English, matched as the documentation and the simulator word it.
 */
export function classifyError(error: unknown): Verdict {
  if (error instanceof SubrequestBudgetExhaustedError) return { kind: 'deferred', reason: 'budget' };
  if (error instanceof WebshareLocalRateLimitError || error instanceof WebshareRateLimitError)
    return { kind: 'deferred', reason: 'rate_limited' };
  if (error instanceof WebshareError && error.codes.length > 0) {
    const message = `${describe(error)}: ${error.codes[0]}${error.detail ? ` — ${error.detail}` : ''}`;
    if (hasCode(error, 'active_replacement')) return { kind: 'deferred', reason: 'replacement_in_progress' };
    if (hasCode(error, 'not_enough_replacements_in_subscription')) return { kind: 'exhausted', message };
    if (hasCode(error, 'no_proxies_to_be_replaced')) return { kind: 'gone' };
    if (hasCode(error, ...ACCOUNT_REFUSALS)) return { kind: 'rejected', message };
  }
  if (error instanceof WebshareBadRequestError) {
    const text = [error.detail ?? '', ...Object.values(error.fieldErrors).flat()].join(' ');
    const message = `${describe(error)}: ${text.trim() || 'bad request'}`;
    if (/no proxy .*match|not in (your|the) (proxy )?list/i.test(text)) return { kind: 'gone' };
    if (/replacements? (are )?available/i.test(text)) return { kind: 'exhausted', message };
    return { kind: 'rejected', message };
  }
  if (
    error instanceof WebshareError &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500
  )
    return { kind: 'rejected', message: describe(error) };
  return { kind: 'failed', message: describe(error) };
}
