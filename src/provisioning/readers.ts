/**
 * Makes a sub-user a signup or Stripe event created (or deleted) visible to chat-ops, the dashboard
 * and /v1/status at once, instead of at the poller's next sub-user refresh
 * (storage/recent-subusers.ts). Best effort: Webshare already made the change and the customer's
 * record is written, so a KV failure is logged and the delivery still succeeds.
 */
import type { Logger } from '../lib/log';
import { toSubUserUsage } from '../model/snapshot';
import { RecentSubUsers } from '../storage/recent-subusers';
import type { CustomerState, ProvisioningResult } from './provision';

export async function recordForReaders(
  kv: KVNamespace,
  result: ProvisioningResult,
  previous: CustomerState | undefined,
  nowMs: number,
  log: Logger,
  /** The dialect's GB (WebshareApi.bytesPerGb): the sub-user's limit is stated in it. */
  bytesPerGb: number,
): Promise<void> {
  const recent = new RecentSubUsers(kv);
  try {
    if ((result.outcome === 'created' || result.outcome === 'adopted') && result.subUser) {
      await recent.recordCreated(toSubUserUsage(result.subUser, bytesPerGb), nowMs);
    } else if (result.outcome === 'deleted' && previous?.subUserId != null) {
      await recent.recordDeleted(previous.subUserId, nowMs);
    }
  } catch (error) {
    log.warn('could not record the sub-user change for readers', { outcome: result.outcome, error });
  }
}
