/** Proxy access on Webshare v1: the authorised set is one field of the proxy config, replaced whole. */
import type { WebshareClient } from '../client';
import { planChange } from './plan';
import type { AuthorizedIpsChange, AuthorizedIpsEdit } from './ip-set';
import type { ProxyAccess, ProxyCredentials } from './types';

export class V1ProxyAccess implements ProxyAccess {
  readonly dialect = 'v1';

  constructor(private readonly client: WebshareClient) {}

  async listAuthorizedIps(): Promise<string[]> {
    return (await this.client.getProxyConfig()).authorized_ips;
  }

  async updateAuthorizedIps(edit: AuthorizedIpsEdit): Promise<AuthorizedIpsChange> {
    const change = planChange(await this.listAuthorizedIps(), edit);
    if (change.added.length === 0 && change.removed.length === 0) return change;
    // POST /api/proxy/config/ {"authorized_ips": [...]} "The new list of authorized IPs."
    const after = await this.client.updateProxyConfig({ authorized_ips: change.authorized_ips });
    return { ...change, authorized_ips: after.authorized_ips };
  }

  async resetPassword(): Promise<ProxyCredentials> {
    // POST /api/proxy/config/reset_password/: Webshare picks the password.
    const { username, password } = await this.client.resetProxyPassword();
    return { username, password };
  }
}
