/**
 * One-off messages about the account's proxy access: a password reset (warning: clients using
 * username/password fail until updated) and a change of the authorised IPs (info: those addresses
 * may use the proxies without credentials). Neither ever carries the password or the username.
 * Sent through notifyAll, so a channel that fails is queued and retried by the next ticks; a
 * failure to send never fails the change itself, which has already happened.
 */
import type { Config } from '../config';
import { SubrequestBudget } from '../lib/budget';
import { sha256Hex } from '../lib/crypto';
import type { Logger } from '../lib/log';
import type { Channel, Field, Notification } from '../model/notification';
import { notifyAll } from './one-off';

/** Three channels, each with its retries within the request (attempts_per_tick is at most 5). */
const ANNOUNCE_SUBREQUESTS = 15;
/** Addresses named in one message; the rest are counted. */
const ADDRESSES_NAMED = 10;

/** Who made the change, as the message names them. */
export type AccessActor =
  { via: 'admin_api' } | { via: 'slack'; userId: string } | { via: 'discord'; userId: string };

export interface AnnouncedChannel {
  channel: Channel;
  outcome: 'delivered' | 'queued' | 'undeliverable';
}

function actorText(actor: AccessActor): string {
  switch (actor.via) {
    case 'admin_api':
      return 'the admin API';
    case 'slack':
      return `Slack user ${actor.userId}`;
    case 'discord':
      return `Discord user ${actor.userId}`;
  }
}

async function noticeId(kind: string, actor: AccessActor, nowMs: number): Promise<string> {
  return `msg_${(await sha256Hex(`${kind}|${actorText(actor)}|${nowMs}`)).slice(0, 32)}`;
}

export async function passwordResetNotice(input: {
  actor: AccessActor;
  nowMs: number;
  reason?: string;
}): Promise<Notification> {
  const fields: Field[] = [
    { label: 'Reset by', value: actorText(input.actor) },
    ...(input.reason ? [{ label: 'Reason', value: input.reason }] : []),
  ];
  return {
    id: await noticeId('proxy_password_reset', input.actor, input.nowMs),
    event: 'message',
    severity: 'warning',
    title: 'Proxy password reset',
    summary:
      'The proxy password of the Webshare account was changed. Clients that sign in with the proxy ' +
      'username and password fail until they use the new one. The password is not in this message: ' +
      'read it with GET /v1/proxy-config (admin token).',
    fields,
    occurred_at: new Date(input.nowMs).toISOString(),
  };
}

export async function authorizedIpsNotice(input: {
  actor: AccessActor;
  nowMs: number;
  added: readonly string[];
  removed: readonly string[];
  total: number;
}): Promise<Notification> {
  const named = (ips: readonly string[]) =>
    ips.slice(0, ADDRESSES_NAMED).join(', ') +
    (ips.length > ADDRESSES_NAMED ? ` and ${ips.length - ADDRESSES_NAMED} more` : '');
  const fields: Field[] = [
    ...(input.added.length ? [{ label: 'Authorised', value: named(input.added) }] : []),
    ...(input.removed.length ? [{ label: 'No longer authorised', value: named(input.removed) }] : []),
    { label: 'Changed by', value: actorText(input.actor) },
  ];
  return {
    id: await noticeId('authorized_ips_changed', input.actor, input.nowMs),
    event: 'message',
    severity: 'info',
    title: 'Authorised IPs changed',
    summary: `Requests from an authorised IP use the proxies without a password. ${input.total} ${input.total === 1 ? 'address is' : 'addresses are'} authorised now.`,
    fields,
    occurred_at: new Date(input.nowMs).toISOString(),
  };
}

/** Sends a notice; never throws. Returns each routed channel's outcome (none when none is set up). */
export async function announceAccessChange(
  kv: KVNamespace,
  config: Config,
  log: Logger,
  notice: Notification,
  nowMs: number,
): Promise<AnnouncedChannel[]> {
  try {
    const results = await notifyAll(kv, config, notice, new SubrequestBudget(ANNOUNCE_SUBREQUESTS), log, {
      nowMs,
    });
    return results.map(({ channel, outcome }) => ({
      channel,
      outcome: outcome === 'not_configured' ? 'undeliverable' : outcome,
    }));
  } catch (error) {
    log.error('could not announce a proxy access change', { title: notice.title, error });
    return [];
  }
}
