/** The dialect-neutral part of an authorised-IP change: apply the edit, diff, check the ceiling. */
import { diffIps, type AuthorizedIpsChange, type AuthorizedIpsEdit } from './ip-set';
import { AUTHORIZED_IPS_MAX, AuthorizedIpsLimitError } from './types';

export function planChange(current: readonly string[], edit: AuthorizedIpsEdit): AuthorizedIpsChange {
  const change = diffIps(current, edit(current));
  // A set already above the ceiling (made on Webshare's dashboard) may still shrink.
  if (change.added.length > 0 && change.authorized_ips.length > AUTHORIZED_IPS_MAX) {
    throw new AuthorizedIpsLimitError(change.authorized_ips.length);
  }
  return change;
}
