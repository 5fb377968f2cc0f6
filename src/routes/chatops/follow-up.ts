/**
 * Delivering a deferred chat-ops answer: POST to Slack's response_url, or PATCH the original
 * interaction response on Discord. Runs inside waitUntil, so nothing can be returned to the caller:
 * the outcome is returned as data and logged. One retry after a network failure, a 429 or a 5xx.
 */
import { send } from '../../lib/send';
import type { Logger } from '../../lib/log';

/** Slack and Discord answer webhooks quickly; a long wait only eats the 30 s waitUntil allowance. */
export const FOLLOW_UP_TIMEOUT_MS = 5_000;
const FOLLOW_UP_ATTEMPTS = 2;
const RETRY_DELAY_MS = 500;

export interface FollowUpResult {
  ok: boolean;
  status: number | null;
  attempts: number;
  error?: string;
}

export async function sendFollowUp(
  url: string,
  method: 'POST' | 'PATCH',
  payload: unknown,
  log: Logger,
): Promise<FollowUpResult> {
  const init = { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) };
  const { verdict } = await send<FollowUpResult>(() => ({ url, init }), {
    timeoutMs: FOLLOW_UP_TIMEOUT_MS,
    attempts: FOLLOW_UP_ATTEMPTS,
    judge: ({ response, failure }, index) => {
      const attempts = index + 1;
      if (response === undefined) {
        const error =
          failure === 'timeout' ? `no answer within ${FOLLOW_UP_TIMEOUT_MS} ms` : 'connection failed';
        return { verdict: { ok: false, status: null, attempts, error }, retryInMs: RETRY_DELAY_MS };
      }
      const worthRetrying = !response.ok && (response.status === 429 || response.status >= 500);
      const verdict = { ok: response.ok, status: response.status, attempts };
      return { verdict, retryInMs: worthRetrying ? RETRY_DELAY_MS : null };
    },
  });
  const last = verdict as FollowUpResult;
  // The URL is a capability (Slack's response_url, Discord's interaction token): log only its host.
  const host = new URL(url).host;
  if (last.ok)
    log.info('chat-ops follow-up delivered', { host, status: last.status, attempts: last.attempts });
  else
    log.warn('chat-ops follow-up failed', {
      host,
      status: last.status,
      attempts: last.attempts,
      error: last.error,
    });
  return last;
}
