/**
 * Notifications sent from outside a tick (the signup hooks' sub-user announcements, the proxy access
 * notices of the admin API and chat-ops) travel the same
 * road as the tick's: one attempt per channel now, then whatever did not go out is handed to the next
 * tick through the poll lock, which folds it into the outbox so it is retried like any other message.
 */
import { deliverOutsideTick, type ChannelResult } from '../alerts/one-off';
import type { Config } from '../config';
import type { Env } from '../env';
import { SubrequestBudget } from '../lib/budget';
import type { Logger } from '../lib/log';
import type { Notification } from '../model/notification';
import { handOverToNextTick } from './poll-lock';

/** One attempt per channel: a hook answers its sender, it does not wait out a channel's outage. */
export const OUTSIDE_TICK_SUBREQUESTS = 6;

export async function notifyOutsideTick(
  env: Env,
  config: Config,
  messages: Notification[],
  log: Logger,
  nowMs = Date.now(),
): Promise<ChannelResult[][]> {
  const budget = new SubrequestBudget(OUTSIDE_TICK_SUBREQUESTS);
  const { results, handOver } = await deliverOutsideTick(config, messages, budget, log, nowMs);
  if (handOver) {
    const ids = handOver.outbox.map((item) => item.deliveryId);
    try {
      if (await handOverToNextTick(env, handOver))
        log.info('notifications queued for the next tick', { ids });
      else log.warn('notifications not delivered and no poll lock to queue them with', { ids });
    } catch (error) {
      log.warn('could not queue notifications for the next tick', { ids, error });
    }
  }
  return results;
}

/** notifyOutsideTick bound to one request, for senders that take a `(messages) => results` function. */
export function outsideTickSender(
  env: Env,
  config: Config,
  log: Logger,
  nowMs: number,
): (messages: Notification[]) => Promise<ChannelResult[][]> {
  return (messages) => notifyOutsideTick(env, config, messages, log, nowMs);
}
