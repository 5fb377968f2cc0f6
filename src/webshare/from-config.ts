/**
 * The one way to build a Webshare client from the parsed config, so every area (admin API, poller,
 * chat-ops, hooks) fails closed the same way: a missing WEBSHARE_API_KEY is a ConfigError naming the
 * variable (→ 503), never a client sending an empty key.
 */
import { requireSecret, type Config } from '../config';
import { WebshareClient, type WebshareClientOptions } from './client';

export type WebshareClientExtras = Omit<WebshareClientOptions, 'apiKey' | 'baseUrl'>;

/** A client for the configured account; throws ConfigError('WEBSHARE_API_KEY') when the key is unset. */
export function webshareClientFor(config: Config, options: WebshareClientExtras = {}): WebshareClient {
  const apiKey = requireSecret(config.webshareApiKey, 'WEBSHARE_API_KEY');
  return new WebshareClient({ ...options, apiKey, baseUrl: config.webshareBaseUrl });
}
