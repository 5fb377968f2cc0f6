/**
 * One-off messages about the account's proxy access: a password reset (warning: clients using
 * username/password fail until updated) and a change of the authorised IPs (info: those addresses
 * may use the proxies without credentials). Neither ever carries the password or the username.
 * They are sent from outside a tick (an admin request, a chat command), so they go the signup hooks'
 * way (`cycle/hand-over.ts`): one attempt per channel now, and what did not go out is handed to the
 * next tick through the poll lock. They never write `alerts:outbox` themselves: only a tick may, under
 * its lease (KV has no compare-and-set, so a second writer loses one side's messages). A failure to
 * send never fails the change itself, which has already happened.
 */
import { sha256Hex } from '../lib/crypto';
import type { Logger } from '../lib/log';
import type { Channel, Field, Notification } from '../model/notification';
import type { ChannelResult } from './one-off';

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

/** How the notice is sent: the caller hands it over the way senders outside a tick do. */
export type SendOutsideTick = (messages: Notification[]) => Promise<ChannelResult[][]>;

/** Sends a notice; never throws. Returns each routed channel's outcome (none when none is set up). */
export async function announceAccessChange(
  send: SendOutsideTick,
  log: Logger,
  notice: Notification,
): Promise<AnnouncedChannel[]> {
  try {
    const [results = []] = await send([notice]);
    return results.map(({ channel, outcome }) => ({
      channel,
      outcome: outcome === 'not_configured' ? 'undeliverable' : outcome,
    }));
  } catch (error) {
    log.error('could not announce a proxy access change', { title: notice.title, error });
    return [];
  }
}
