/**
 * What both dialects' clients share beyond the transport: their traits (the port's properties, read
 * from the dialect's traits.ts), and access (authorised IPs, the password), which is each dialect's
 * own calls (v1/access.ts, v2/access.ts) while every change of the authorised set holds the account's
 * change lock from its read to its re-read, whichever dialect makes it.
 */
import { withAccessLock, type AccessChangeLock } from './access/change-lock';
import type { AuthorizedIpsChange, AuthorizedIpsEdit } from './access/ip-set';
import type { ProxyCredentials } from './access/types';
import type { DialectTraits } from './port';
import { TransportClient, type WebshareTransport } from './transport';

/** A dialect's calls for proxy access. */
export interface DialectAccess {
  listAuthorizedIps(): Promise<string[]>;
  updateAuthorizedIps(edit: AuthorizedIpsEdit): Promise<AuthorizedIpsChange>;
  resetPassword(): Promise<ProxyCredentials>;
}

export abstract class DialectClient extends TransportClient implements DialectTraits {
  protected abstract readonly traits: DialectTraits;
  protected abstract readonly access: DialectAccess;
  readonly #accessLock: DurableObjectNamespace<AccessChangeLock> | undefined;

  protected constructor(transport: WebshareTransport, accessLock?: DurableObjectNamespace<AccessChangeLock>) {
    super(transport);
    this.#accessLock = accessLock;
  }

  get dialect() {
    return this.traits.dialect;
  }
  get rateLimits() {
    return this.traits.rateLimits;
  }
  get bytesPerGb() {
    return this.traits.bytesPerGb;
  }
  get filtersProxyList() {
    return this.traits.filtersProxyList;
  }
  get replacesAsynchronously() {
    return this.traits.replacesAsynchronously;
  }
  sweepRequestCpuMs(pageSize: number | null): number {
    return this.traits.sweepRequestCpuMs(pageSize);
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
