/**
 * Proxy access on Webshare v2 (research notes §5, DOCS ipauthorization*.md and proxy-config.md):
 * - authorised IPs are objects under /api/v2/proxy/ipauthorization/: one POST per address added,
 *   one DELETE (204) per address removed, so the set is diffed here;
 * - there is no reset-password endpoint in v2 or v3, so a password is generated here and set with
 *   PATCH /api/v2/proxy/config/ {"password": …}; the answer is the full config, credentials included.
 * No `plan_id` is sent: Webshare then uses the account's default plan.
 */
import type * as z from 'zod';
import { allResults } from '../paging';
import type { SendRequest } from '../transport';
import { generateProxyPassword } from '../access/password';
import { planChange } from '../access/plan';
import type { AuthorizedIpsChange, AuthorizedIpsEdit } from '../access/ip-set';
import {
  AuthorizedIpsChangeTooLargeError,
  AuthorizedIpsIncompleteError,
  type ProxyCredentials,
} from '../access/types';
import { V2_MAX_CHANGES_PER_REQUEST } from '../access/budget';
import type { DialectAccess } from '../dialect-client';
import { loadSchemas } from './load-schemas';
import type { V2IpAuthorizationSchema } from './schemas';

export const IP_AUTHORIZATION_PATH = '/api/v2/proxy/ipauthorization/';
export const PROXY_CONFIG_V2_PATH = '/api/v2/proxy/config/';
/** Webshare documents `page_size` without a maximum; 100 is DRF's usual cap. */
const IP_AUTHORIZATION_PAGE_SIZE = 100;
/** Far above any real set (AUTHORIZED_IPS_MAX is 20); stops a `next` loop from running away. */
const IP_AUTHORIZATION_MAX_PAGES = 10;

type IpAuthorization = z.output<typeof V2IpAuthorizationSchema>;

export class V2ProxyAccess implements DialectAccess {
  constructor(
    private readonly request: SendRequest,
    private readonly newPassword: () => string = generateProxyPassword,
  ) {}

  async listAuthorizedIps(): Promise<string[]> {
    return (await this.#authorizations()).map((entry) => entry.ip_address);
  }

  async updateAuthorizedIps(edit: AuthorizedIpsEdit): Promise<AuthorizedIpsChange> {
    const held = await this.#authorizations();
    const change = planChange(
      held.map((entry) => entry.ip_address),
      edit,
    );
    const changes = change.added.length + change.removed.length;
    if (changes > V2_MAX_CHANGES_PER_REQUEST) {
      throw new AuthorizedIpsChangeTooLargeError(changes, V2_MAX_CHANGES_PER_REQUEST);
    }
    const { V2IpAuthorizationSchema } = await loadSchemas();
    const applied = { added: [] as string[], removed: [] as string[] };
    try {
      // Adds first: a failure part-way then never leaves the account with less access than asked.
      for (const ip of change.added) {
        await this.request({
          method: 'POST',
          path: IP_AUTHORIZATION_PATH,
          body: { ip_address: ip },
          schema: V2IpAuthorizationSchema,
        });
        applied.added.push(ip);
      }
      const removed = new Set(change.removed);
      for (const entry of held.filter((e) => removed.has(e.ip_address))) {
        await this.request({
          method: 'DELETE',
          path: `${IP_AUTHORIZATION_PATH}${entry.id}/`,
          schema: undefined,
        });
        applied.removed.push(entry.ip_address);
      }
    } catch (error) {
      if (applied.added.length === 0 && applied.removed.length === 0) throw error;
      throw new AuthorizedIpsIncompleteError(applied, { cause: error });
    }
    return change;
  }

  async resetPassword(): Promise<ProxyCredentials> {
    const { V2CredentialsSchema } = await loadSchemas();
    const { username, password } = await this.request({
      method: 'PATCH',
      path: PROXY_CONFIG_V2_PATH,
      body: { password: this.newPassword() },
      schema: V2CredentialsSchema,
    });
    return { username, password };
  }

  async #authorizations(): Promise<IpAuthorization[]> {
    const { V2IpAuthorizationPageSchema } = await loadSchemas();
    const fetchPage = (page: number) =>
      this.request({
        method: 'GET',
        path: IP_AUTHORIZATION_PATH,
        query: { page, page_size: IP_AUTHORIZATION_PAGE_SIZE },
        schema: V2IpAuthorizationPageSchema,
      });
    return allResults(fetchPage, IP_AUTHORIZATION_MAX_PAGES);
  }
}
