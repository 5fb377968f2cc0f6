/**
 * What both dialects' clients share beyond the transport: access (authorised IPs, the password) is
 * each dialect's own calls (v1/access.ts, v2/access.ts), and every change of the authorised set holds
 * the account's change lock from its read to its re-read, whichever dialect makes it.
 */
import { withAccessLock, type AccessChangeLock } from './access/change-lock';
import type { AuthorizedIpsChange, AuthorizedIpsEdit } from './access/ip-set';
import type { ProxyCredentials } from './access/types';
import { TransportClient, type WebshareTransport } from './transport';

/** A dialect's calls for proxy access. */
export interface DialectAccess {
  listAuthorizedIps(): Promise<string[]>;
  updateAuthorizedIps(edit: AuthorizedIpsEdit): Promise<AuthorizedIpsChange>;
  resetPassword(): Promise<ProxyCredentials>;
}

export abstract class DialectClient extends TransportClient {
  protected abstract readonly access: DialectAccess;
  readonly #accessLock: DurableObjectNamespace<AccessChangeLock> | undefined;

  protected constructor(transport: WebshareTransport, accessLock?: DurableObjectNamespace<AccessChangeLock>) {
    super(transport);
    this.#accessLock = accessLock;
  }

  listAuthorizedIps(): Promise<string[]> {
    return this.access.listAuthorizedIps();
  }

  updateAuthorizedIps(edit: AuthorizedIpsEdit): Promise<AuthorizedIpsChange> {
    return withAccessLock(this.#accessLock, () => this.access.updateAuthorizedIps(edit));
  }

  resetPassword(): Promise<ProxyCredentials> {
    return this.access.resetPassword();
  }
}
