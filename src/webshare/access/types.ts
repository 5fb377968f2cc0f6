/** What proxy access (WebshareApi's authorised IPs and password) answers, and the errors it may end with. */

/**
 * At most this many authorised addresses: v1 allows 1 without `unlimited_ip_authorizations` and
 * documents no ceiling with it. 20 keeps a v2 change (one list page, then one call per address
 * added or removed) under the Free plan's 50 subrequests per request.
 */
export const AUTHORIZED_IPS_MAX = 20;

export interface ProxyCredentials {
  username: string;
  password: string;
}

export class AuthorizedIpsLimitError extends Error {
  override name = 'AuthorizedIpsLimitError';
  constructor(readonly requested: number) {
    super(`at most ${AUTHORIZED_IPS_MAX} authorised IPs; this change would leave ${requested}`);
  }
}

/**
 * A change that failed part-way (v2 writes one address per call): `applied` is what Webshare
 * already did, `cause` the failure that stopped the rest.
 */
export class AuthorizedIpsIncompleteError extends Error {
  override name = 'AuthorizedIpsIncompleteError';
  constructor(
    readonly applied: { added: string[]; removed: string[] },
    options: { cause: unknown },
  ) {
    super('the authorised-IP change stopped part-way', options);
  }
}

/** Another change of the authorised IPs held the set for longer than a change waits; nothing was changed. */
export class AuthorizedIpsBusyError extends Error {
  override name = 'AuthorizedIpsBusyError';
  constructor(readonly retryAfterMs: number) {
    super('another change of the authorised IPs is in progress; nothing was changed');
  }
}

/** A v2 change with more additions and removals than one request can afford; nothing was changed. */
export class AuthorizedIpsChangeTooLargeError extends Error {
  override name = 'AuthorizedIpsChangeTooLargeError';
  constructor(
    readonly changes: number,
    readonly max: number,
  ) {
    super(
      `on Webshare v2 one request adds and removes at most ${max} addresses (one call each, within the ` +
        `50 subrequests of a request); this change has ${changes}: make it in two requests`,
    );
  }
}
