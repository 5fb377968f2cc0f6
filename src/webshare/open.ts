/**
 * The one factory of the Webshare port: config (and, for `auto`, the stored probe) in, one
 * WebshareApi out, so every area (admin API, poller, chat-ops, hooks, provisioning) fails closed the
 * same way: a missing WEBSHARE_API_KEY is a ConfigError naming the variable (→ 503), never a client
 * sending an empty key. With the RATE_GATE binding every port takes its request slots from the
 * account's one rate gate; with ACCESS_LOCK its authorised-IP changes run one at a time.
 */
import { requireSecret, type Config } from '../config';
import type { SubrequestBudget } from '../lib/budget';
import type { DialectChoice, DialectSetting } from '../model/dialect';
import type { RecentCalls } from '../model/poller-state';
import { ResolvingWebshare, chooseTickDialect } from './auto';
import type { WebshareClientOptions } from './client-options';
import { connectDialect, traitsOf } from './dialects';
import type { WebshareApi } from './port';
import { rateGateOf } from './rate-gate';
import { RATE_WINDOW_MS, SlidingWindowLimiter } from './rate-limits';
import { RateSlots } from './rate-slots';
import type { WebshareTransportOptions } from './transport';

// Outside src/webshare/ the tick reaches `auto` only through this module: whether the probed dialect
// is gone is read from the tick's errors.
export { dialectGone } from './auto';

/** What a caller may add to the configured account's key and origin. */
export type WebshareExtras = Omit<WebshareClientOptions, 'apiKey' | 'baseUrl'>;

export interface OpenOptions extends WebshareExtras {
  /** With WEBSHARE_API_VERSION=auto, where the probed dialect is kept. */
  kv?: KVNamespace;
  /** Speak this setting instead of the config's (a provisioning command keeps the sender's). */
  dialect?: DialectSetting;
}

/** The port for the configured account; throws ConfigError('WEBSHARE_API_KEY') when the key is unset. */
export function openWebshare(config: Config, options: OpenOptions = {}): WebshareApi {
  const { kv, dialect = config.dialect, ...extras } = options;
  const clientOptions = { ...extras, ...webshareTransportFor(config, extras) };
  if (dialect === 'auto') return new ResolvingWebshare(clientOptions, kv);
  return connectDialect(dialect, clientOptions);
}

/** What every client of the configured account sends with: its key, origin, options and rate gate. */
export function webshareTransportFor(config: Config, extras: WebshareExtras = {}): WebshareTransportOptions {
  const apiKey = requireSecret(config.webshareApiKey, 'WEBSHARE_API_KEY');
  return { ...withRateGate(config, extras), apiKey, baseUrl: config.webshareBaseUrl };
}

/** The extras plus the account's rate gate, when the binding is there and no slot source was given. */
function withRateGate<T extends WebshareExtras>(config: Config, extras: T): T {
  const gate = rateGateOf(config.rateGate);
  if (!gate || extras.slots) return extras;
  const { budget, now, sleep } = extras;
  return { ...extras, slots: new RateSlots(gate, { budget, now, sleep }) };
}

/** How a tick's requests behave: the poller's policy, not the dialect's. */
export interface TickPolicy {
  maxAttempts: number;
  maxRetryWaitMs: number;
  timeoutMs: number;
  /** How long the tick's slots from the rate gate stay usable. */
  slotLeaseMs: number;
}

export interface TickWebshare {
  client: WebshareApi;
  /** The dialect choice to keep (null: auto could not decide this tick). */
  choice: DialectChoice | null;
  /** Why auto could not decide (the probe's failure), for the tick to record. */
  choiceError: unknown;
  /** The client's limiter: the sweep sizes itself by the room left in the proxy-list window. */
  limiter: SlidingWindowLimiter;
  /** The account's rate gate, with the RATE_GATE binding: the tick reserves its slots in one round trip. */
  slots?: RateSlots;
}

/**
 * The tick's port: the dialect chosen first (see auto.ts), then its client with the tick's budget,
 * policy and the shared rate window. With the rate gate, the gate knows what earlier ticks and every
 * other caller sent, so the limiter starts empty; without it, the limiter starts from the calls the
 * poller state says recent ticks made.
 */
export async function openWebshareForTick(input: {
  config: Config;
  kept: DialectChoice | null | undefined;
  kv: KVNamespace;
  budget: SubrequestBudget;
  nowMs: number;
  recentCalls: readonly RecentCalls[];
  policy: TickPolicy;
}): Promise<TickWebshare> {
  const { config, budget, nowMs, policy } = input;
  const apiKey = requireSecret(config.webshareApiKey, 'WEBSHARE_API_KEY');
  const baseUrl = config.webshareBaseUrl;
  const chosen = await chooseTickDialect({
    setting: config.dialect,
    kept: input.kept,
    kv: input.kv,
    transport: { apiKey, baseUrl, budget, maxAttempts: 2 },
    nowMs,
  });
  // The tick's clock: its nowMs moving on with real time, so the gate and the limiter see tick time.
  const startedAt = Date.now();
  const now = () => nowMs + (Date.now() - startedAt);
  const gate = rateGateOf(config.rateGate);
  // A refill takes what the budget could still spend (remediation's replacements in one round trip):
  // the tick gives back what it did not use when it is done (RateSlots.settle).
  const refillSize = () => budget.remaining;
  const slots = gate && new RateSlots(gate, { budget, leaseMs: policy.slotLeaseMs, now, refillSize });
  // With the gate, earlier ticks' calls are already in its window: seeding them again would count twice.
  const limiter = new SlidingWindowLimiter(traitsOf(chosen.dialect).rateLimits);
  if (!slots) seedRecentCalls(limiter, input.recentCalls, nowMs);
  const client = connectDialect(chosen.dialect, {
    apiKey,
    baseUrl,
    budget,
    limiter,
    slots,
    now,
    maxAttempts: policy.maxAttempts,
    maxRetryWaitMs: policy.maxRetryWaitMs,
    timeoutMs: policy.timeoutMs,
  });
  const opened = { client, choice: chosen.choice, choiceError: chosen.error, limiter };
  return slots ? { ...opened, slots } : opened;
}

/** A limiter that already knows what recent ticks sent, so back-to-back ticks share one window. */
function seedRecentCalls(limiter: SlidingWindowLimiter, calls: readonly RecentCalls[], nowMs: number): void {
  for (const call of calls) {
    if (call.at_ms <= nowMs - RATE_WINDOW_MS) continue;
    for (let i = 0; i < call.general; i++) limiter.record('general', call.at_ms);
    for (let i = 0; i < call.proxy_list; i++) limiter.record('proxyList', call.at_ms);
  }
}
