/**
 * Announces provisioning on the generic alert webhook (ALERT_WEBHOOK_URL) as Standard Webhooks events
 * signed with ALERT_WEBHOOK_SECRET: `subuser.created` and `subuser.deleted`, never with credentials.
 * Best effort by design: the provisioning itself is already done and recorded, so a failed
 * announcement is returned as data (and logged by the caller), not retried and not a hook failure.
 */
import type { Config } from '../config';
import { send } from '../lib/send';
import { signStandardWebhook } from '../lib/standard-webhooks';
import type { HookSource } from './command';

/** An announcement must not hold the hook's response open for long. */
export const ANNOUNCE_TIMEOUT_MS = 5_000;

export interface SubUserAnnouncement {
  type: 'subuser.created' | 'subuser.deleted';
  customerId: string;
  subUserId: number | null;
  plan: string | null;
  source: HookSource;
  deliveryId: string;
}

export type AnnounceResult =
  | { sent: false; reason: 'not_configured' }
  | { sent: true; status: number; ok: boolean }
  | { sent: false; reason: 'failed'; error: string };

export async function announceSubUser(
  config: Config,
  announcement: SubUserAnnouncement,
  nowMs = Date.now(),
): Promise<AnnounceResult> {
  const { url, secret } = config.alertWebhook;
  if (!url || !secret) return { sent: false, reason: 'not_configured' };
  const body = JSON.stringify({
    type: announcement.type,
    timestamp: new Date(nowMs).toISOString(),
    data: {
      customer_id: announcement.customerId,
      subuser_id: announcement.subUserId,
      plan: announcement.plan,
      source: announcement.source,
      delivery_id: announcement.deliveryId,
    },
  });
  // Deterministic id: a receiver deduplicating on webhook-id sees one event per hook delivery.
  const id = `${announcement.type}:${announcement.source}:${announcement.deliveryId}`;
  const headers = await signStandardWebhook(secret, id, Math.floor(nowMs / 1000), body);
  const init = { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body };
  const { verdict } = await send<AnnounceResult>(() => ({ url, init }), {
    timeoutMs: ANNOUNCE_TIMEOUT_MS,
    judge: ({ response, failure }) => ({
      verdict: response
        ? { sent: true, status: response.status, ok: response.ok }
        : { sent: false, reason: 'failed', error: failure === 'timeout' ? 'timed out' : 'connection failed' },
    }),
  });
  return verdict as AnnounceResult;
}
