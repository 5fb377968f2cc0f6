/**
 * One refresh or one replacement sent to Webshare, and what came of it as a typed outcome. No text
 * and no state here: execute.ts decides what an outcome does to the run, entry-text.ts words it.
 */
import type { Logger } from '../lib/log';
import type { ReplacementInfo } from '../webshare/types';
import { classifyError, describe, type Verdict } from './classify';
import type { RemediationClient } from './execute';

export type RefreshAttempt =
  { kind: 'refreshed'; info: ReplacementInfo } | Exclude<Verdict, { kind: 'gone' }>;

export type ReplacementAttempt =
  | { kind: 'replaced'; newAddress: string | null }
  /** v2: accepted and carried out later; followed on the next ticks. */
  | { kind: 'started'; id: number; state: string; newAddress: string | null }
  | Verdict;

export async function attemptRefresh(client: RemediationClient, log: Logger): Promise<RefreshAttempt> {
  try {
    return { kind: 'refreshed', info: await client.refreshProxyList() };
  } catch (error) {
    const verdict = classifyError(error);
    log.warn('remediation: refresh not done', { verdict: verdict.kind, error: describe(error) });
    // Webshare answering "no such proxy" to a refresh would be odd; treat it as the refusal it is.
    return verdict.kind === 'gone' ? { kind: 'rejected', message: describe(error) } : verdict;
  }
}

export async function attemptReplacement(
  client: RemediationClient,
  address: string,
  log: Logger,
): Promise<ReplacementAttempt> {
  try {
    const result = await client.createReplacement(address);
    if (result.id !== undefined && result.state !== undefined && result.state !== 'completed') {
      return { kind: 'started', id: result.id, state: result.state, newAddress: result.new_ip_address };
    }
    return { kind: 'replaced', newAddress: result.new_ip_address };
  } catch (error) {
    const verdict = classifyError(error);
    log.warn('remediation: replacement not done', { address, verdict: verdict.kind, error: describe(error) });
    return verdict;
  }
}
