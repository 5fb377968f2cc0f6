/**
 * Proxy access (authorised IPs, the proxy password) on either Webshare dialect, behind one small
 * interface. Self-contained on purpose: it needs only the v1 client and the shared transport, so
 * it works before the v2 backend lands; whoever wires WEBSHARE_API_VERSION passes the chosen
 * dialect to `proxyAccessFor` (until then every caller uses DEFAULT_ACCESS_DIALECT).
 */
import { requireSecret, type Config } from '../../config';
import { WebshareClient } from '../client';
import { withRateGate, type WebshareClientExtras } from '../from-config';
import { WebshareTransport, type WebshareTransportOptions } from '../transport';
import type { AccessDialect, ProxyAccess } from './types';
import { V1ProxyAccess } from './v1';
import { V2ProxyAccess } from './v2';

export * from './ip-set';
export * from './types';
export { generateProxyPassword, GENERATED_PASSWORD_LENGTH } from './password';

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

/** Proxy access for the configured account; a missing WEBSHARE_API_KEY is a ConfigError (→ 503). */
export function proxyAccessForConfig(
  config: Config,
  extras: WebshareClientExtras = {},
  dialect: AccessDialect = DEFAULT_ACCESS_DIALECT,
): ProxyAccess {
  const apiKey = requireSecret(config.webshareApiKey, 'WEBSHARE_API_KEY');
  return proxyAccessFor(dialect, {
    ...withRateGate(config, extras),
    apiKey,
    baseUrl: config.webshareBaseUrl,
  });
}
