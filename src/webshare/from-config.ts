/**
 * The one way to build a Webshare client from the parsed config, so every area (admin API, poller,
 * chat-ops, hooks) fails closed the same way: a missing WEBSHARE_API_KEY is a ConfigError naming the
 * variable (→ 503), never a client sending an empty key. WEBSHARE_API_VERSION picks the dialect;
 * `auto` reads the stored probe result from `kv` (or probes once, see dialect.ts). With the
 * RATE_GATE binding every such client takes its request slots from the account's one rate gate.
 */
import { requireSecret, type Config } from '../config';
import type { WebshareApi } from './api';
import type { WebshareClientOptions } from './v1/client';
import type { WebshareTransportOptions } from './transport';
import { rateGateOf } from './rate-gate';
import { RateSlots } from './rate-slots';
import { DialectResolvingApi, clientForDialect } from './resolving';

export type WebshareClientExtras = Omit<WebshareClientOptions, 'apiKey' | 'baseUrl'>;

/** A client for the configured account; throws ConfigError('WEBSHARE_API_KEY') when the key is unset. */
export function webshareClientFor(
  config: Config,
  options: WebshareClientExtras = {},
  kv?: KVNamespace,
): WebshareApi {
  const transport = webshareTransportFor(config, options);
  if (config.webshareApiVersion !== 'auto') return clientForDialect(config.webshareApiVersion, transport);
  return new DialectResolvingApi(transport, kv);
}

/** What every client of the configured account sends with: its key, origin, options and rate gate. */
export function webshareTransportFor(
  config: Config,
  options: WebshareClientExtras = {},
): WebshareTransportOptions {
  const apiKey = requireSecret(config.webshareApiKey, 'WEBSHARE_API_KEY');
  return { ...withRateGate(config, options), apiKey, baseUrl: config.webshareBaseUrl };
}

/** The extras plus the account's rate gate, when the binding is there and no slot source was given. */
export function withRateGate(config: Config, options: WebshareClientExtras): WebshareClientExtras {
  const gate = rateGateOf(config.rateGate);
  if (!gate || options.slots) return options;
  const { budget, now, sleep } = options;
  return { ...options, slots: new RateSlots(gate, { budget, now, sleep }) };
}
