/**
 * Proxy access (authorised IPs, the proxy password) on either Webshare dialect, behind one small
 * interface, over the v1 client or the shared transport. WEBSHARE_API_VERSION picks the dialect; with
 * `auto` the stored probe result decides (or one probe, see ../dialect.ts), as for the main client.
 */
import { requireSecret, type Config } from '../../config';
import { WebshareClient } from '../v1/client';
import { DialectResolvingApi } from '../resolving';
import { withRateGate, type WebshareClientExtras } from '../from-config';
import { WebshareTransport, type WebshareTransportOptions } from '../transport';
import { withAccessLock, type AccessChangeLock } from './change-lock';
import type { AccessDialect, ProxyAccess } from './types';
import { V1ProxyAccess } from './v1';
import { V2ProxyAccess } from './v2';

export * from './ip-set';
export * from './types';
export { generateProxyPassword, GENERATED_PASSWORD_LENGTH } from './password';
export { AccessChangeLock } from './change-lock';
export { ACCESS_WEBSHARE_SUBREQUESTS } from './v2-budget';

export const DEFAULT_ACCESS_DIALECT: AccessDialect = 'v1';

export interface ProxyAccessOptions extends WebshareTransportOptions {
  /** v2 only: makes the new proxy password (tests pin it). */
  newPassword?: () => string;
}

export function proxyAccessFor(dialect: AccessDialect, options: ProxyAccessOptions): ProxyAccess {
  const { newPassword, ...transport } = options;
  return dialect === 'v1'
    ? new V1ProxyAccess(new WebshareClient(transport))
    : new V2ProxyAccess(new WebshareTransport(transport), newPassword);
}

/** Where proxy access keeps what it shares with other requests: the dialect choice and the change lock. */
export interface ProxyAccessBindings {
  /** With WEBSHARE_API_VERSION=auto, where the probed dialect is kept. */
  kv?: KVNamespace;
  /** The ACCESS_LOCK binding: authorised-IP changes run one at a time through it. */
  lock?: DurableObjectNamespace<AccessChangeLock>;
}

/**
 * Proxy access for the configured account, in its configured dialect (with `auto`, the one the
 * probe chose, read from `kv`); a missing WEBSHARE_API_KEY is a ConfigError (→ 503). Authorised-IP
 * changes hold the account's change lock (./change-lock.ts) from their read to their re-read.
 */
export function proxyAccessForConfig(
  config: Config,
  extras: WebshareClientExtras = {},
  bindings: ProxyAccessBindings = {},
): ProxyAccess {
  const apiKey = requireSecret(config.webshareApiKey, 'WEBSHARE_API_KEY');
  const options: ProxyAccessOptions = {
    ...withRateGate(config, extras),
    apiKey,
    baseUrl: config.webshareBaseUrl,
  };
  return serialised(dialectAccess(config, options, bindings.kv), bindings.lock);
}

function dialectAccess(config: Config, options: ProxyAccessOptions, kv?: KVNamespace): ProxyAccess {
  if (config.webshareApiVersion !== 'auto') return proxyAccessFor(config.webshareApiVersion, options);
  const resolving = new DialectResolvingApi(options, kv);
  let chosen: ProxyAccess | undefined;
  const choose = async () => (chosen ??= proxyAccessFor((await resolving.resolve()).dialect, options));
  return {
    get dialect() {
      return chosen?.dialect ?? DEFAULT_ACCESS_DIALECT;
    },
    listAuthorizedIps: async () => (await choose()).listAuthorizedIps(),
    updateAuthorizedIps: async (edit) => (await choose()).updateAuthorizedIps(edit),
    resetPassword: async () => (await choose()).resetPassword(),
  };
}

/** The same access, with each authorised-IP change run under the change lock. */
function serialised(access: ProxyAccess, lock: ProxyAccessBindings['lock']): ProxyAccess {
  return {
    get dialect() {
      return access.dialect;
    },
    listAuthorizedIps: () => access.listAuthorizedIps(),
    updateAuthorizedIps: (edit) => withAccessLock(lock, () => access.updateAuthorizedIps(edit)),
    resetPassword: () => access.resetPassword(),
  };
}
