/**
 * The one-off alert that Webshare ignored v2's X-Subuser header: a sub-user's credential read came
 * back with the account owner's credentials, so none were handed out (src/webshare/v2/client.ts).
 * Every sub-user credential read fails until Webshare honours the header, so the operators hear of it
 * once a day per isolate, not once per request: the notification id is the day, so the generic
 * webhook's receivers can drop the rare repeat from another isolate.
 */
import type { Config } from '../config';
import type { Env } from '../env';
import type { Logger } from '../lib/log';
import type { Notification } from '../model/notification';
import { notifyOutsideTick } from './hand-over';

let warnedDay: string | null = null;

function subUserHeaderIgnoredNotification(nowMs: number): Notification {
  const day = new Date(nowMs).toISOString().slice(0, 10);
  return {
    id: `webshare-subuser-header-ignored:${day}`,
    event: 'message',
    severity: 'critical',
    title: 'Webshare ignored the X-Subuser header',
    summary:
      "A sub-user's proxy credentials were read with X-Subuser, and Webshare answered with the account's own. " +
      'None were handed out: sub-user creation (admin API, chat-ops, signup and Stripe hooks) answers an ' +
      'error until Webshare honours the header, and the hooks will be retried by their senders. ' +
      'Check with GET /v1/doctor or `npm run doctor`, and tell Webshare support.',
    fields: [],
    occurred_at: new Date(nowMs).toISOString(),
  };
}

/** Sends the alert unless this isolate already did today. */
export async function warnSubUserHeaderIgnored(
  env: Env,
  config: Config,
  log: Logger,
  nowMs: number,
): Promise<void> {
  const message = subUserHeaderIgnoredNotification(nowMs);
  if (warnedDay === message.id) return;
  warnedDay = message.id;
  log.error('Webshare ignored X-Subuser: no sub-user credentials were handed out');
  try {
    await notifyOutsideTick(env, config, [message], log, nowMs);
  } catch (error) {
    log.warn('could not send the X-Subuser alert', { error });
  }
}
