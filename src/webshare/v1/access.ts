/**
 * Proxy access on Webshare v1: the authorised set is one field of the proxy config, replaced whole,
 * so a change is read, edit, post, read back; the client runs it under the change lock.
 */
import { planChange } from '../access/plan';
import { diffIps, type AuthorizedIpsChange, type AuthorizedIpsEdit } from '../access/ip-set';
import type { ProxyCredentials } from '../access/types';
import type { DialectAccess } from '../dialect-client';
import type { ProxyConfig } from '../types';

/** The three v1 calls access is made of (the v1 client's own). */
export interface V1ProxyConfigCalls {
  getProxyConfig(): Promise<ProxyConfig>;
  updateProxyConfig(update: { authorized_ips: string[] }): Promise<ProxyConfig>;
  resetProxyPassword(): Promise<ProxyConfig>;
}

export class V1ProxyAccess implements DialectAccess {
  constructor(private readonly client: V1ProxyConfigCalls) {}

  async listAuthorizedIps(): Promise<string[]> {
    return (await this.client.getProxyConfig()).authorized_ips;
  }

  async updateAuthorizedIps(edit: AuthorizedIpsEdit): Promise<AuthorizedIpsChange> {
    const before = await this.listAuthorizedIps();
    const change = planChange(before, edit);
    if (change.added.length === 0 && change.removed.length === 0) return change;
    // POST /api/proxy/config/ {"authorized_ips": [...]} "The new list of authorized IPs."
    await this.client.updateProxyConfig({ authorized_ips: change.authorized_ips });
    // The answer is what is authorised now, read back, and what changed since the read before the
    // post: not what was asked for (under the change lock the two agree unless someone edited the
    // set on Webshare's dashboard in between).
    return diffIps(before, await this.listAuthorizedIps());
  }

  async resetPassword(): Promise<ProxyCredentials> {
    // POST /api/proxy/config/reset_password/: Webshare picks the password.
    const { username, password } = await this.client.resetProxyPassword();
    return { username, password };
  }
}
