/**
 * Decides, inside the tick's record step, whether this tick sends the digest. The decision and the
 * "sent" mark go into the same one KV write as the snapshot, under the poll lease: a retried tick
 * (same scheduledTime) stops before this step, and any later tick finds the period marked. The
 * message then leaves through the outbox, which retries a channel that fails; a worker killed between
 * the write and the send loses that period's digest rather than ever sending it twice.
 */
import type { DigestConfig } from '../config/digest';
import type { Notification } from '../model/notification';
import type { DigestState, PollerState } from '../model/poller-state';
import { buildDigest } from './content';
import { dueDigest } from './schedule';

export function planDigest(
  config: DigestConfig,
  state: PollerState,
  nowMs: number,
): { notification: Notification; record: DigestState } | null {
  const period = dueDigest(config, state.digest?.last_period ?? null, nowMs);
  if (!period) return null;
  return {
    notification: buildDigest({ period, state, topSubusers: config.top_subusers, nowMs }),
    record: { last_period: period.id, sent_at: new Date(nowMs).toISOString() },
  };
}
