/**
 * The in-process control surface: what a test (or the HTTP /__sim/* routes) uses to put the account
 * into a scenario — usage, quotas, broken proxies, faults, a revoked key, time passing.
 */
import type { SimRequestRecord } from './api';
import type { Fault, FaultTable } from './faults';
import type { ResolvedOptions, SimQuirk } from './options';
import type { SimRateLimiter } from './rate-limit';
import { hash32, seededRandom } from './random';
import { subUserBody } from './routes/subusers';
import { clockMs, createState, type Growth, type SimState } from './state';
import { advance } from './usage';

export interface BandwidthSettings {
  usedBytes?: number;
  limitBytes?: number;
  /** A fixed projection; null returns to extrapolating usage. */
  projectedBytes?: number | null;
}

export interface RequestSettings {
  total?: number;
  failed?: number;
  errorReasons?: Record<string, number>;
  failureStatusCodes?: Record<string, number>;
  countries?: Record<string, number>;
  lastRequestAt?: string | null;
}

export interface QuotaSettings {
  ondemandAvailable?: number;
  ondemandTotal?: number;
  ondemandUsed?: number;
  replacementsAvailable?: number;
  replacementsTotal?: number;
  replacementsUsed?: number;
}

export interface SimControl {
  setBandwidth(settings: BandwidthSettings): void;
  setRequests(settings: RequestSettings): void;
  setQuotas(settings: QuotaSettings): void;
  setProxyCount(count: number): void;
  /** Marks proxies invalid: `count` valid ones chosen by the seed, or these addresses. Returns their addresses. */
  invalidate(target: number | string[], options?: { country?: string }): string[];
  /** Marks proxies valid again: the first `count` invalid ones, these addresses, or all. */
  recover(target: number | string[] | 'all'): string[];
  advance(seconds: number): void;
  setGrowth(growth: Partial<Growth>): void;
  setSubUserUsage(id: number, usageBytes: number): void;
  inject(fault: Fault): void;
  clearFaults(): void;
  listFaults(): Fault[];
  revokeKey(): void;
  setApiKey(key: string): void;
  setSubscriptionEnd(iso: string): void;
  /** Automatic list refreshes every `frequencySeconds` (0 = off), of `percentage` % of the list (default 100). */
  setAutoRefresh(settings: { frequencySeconds: number; percentage?: number }): void;
  setEnforceRateLimits(enforce: boolean): void;
  /** Which assumptions of the worker's the simulator contradicts from now on (sim/options.ts). */
  setQuirks(quirks: SimQuirk[]): void;
  clearRequests(): void;
  /** The simulator clock, ms. */
  now(): number;
  /** A JSON summary of the account (never the API key, never all proxies). */
  snapshot(): Record<string, unknown>;
  /** Back to the state the simulator was created with; faults, rate windows and the log cleared. */
  reset(): void;
}

const SNAPSHOT_ADDRESS_LIMIT = 100;

export function createControl(
  original: ResolvedOptions,
  state: SimState,
  faults: FaultTable,
  limiter: SimRateLimiter,
  requests: SimRequestRecord[],
): SimControl {
  let picks = 0;
  const nonNegative = (value: number | undefined, name: string) => {
    if (value !== undefined && (!Number.isFinite(value) || value < 0))
      throw new RangeError(`${name} must be ≥ 0`);
    return value;
  };
  const indicesOf = (addresses: string[]) =>
    addresses.map((address) => {
      const index = state.proxies.indexOfAddress(address);
      if (index === undefined) throw new RangeError(`no proxy has the address ${address}`);
      return index;
    });

  return {
    setBandwidth({ usedBytes, limitBytes, projectedBytes }) {
      const b = state.bandwidth;
      b.usedBytes = nonNegative(usedBytes, 'usedBytes') ?? b.usedBytes;
      b.limitBytes = nonNegative(limitBytes, 'limitBytes') ?? b.limitBytes;
      if (projectedBytes !== undefined) b.projectedBytes = projectedBytes;
    },
    setRequests(settings) {
      const r = state.requests;
      r.total = nonNegative(settings.total, 'total') ?? r.total;
      r.failed = nonNegative(settings.failed, 'failed') ?? r.failed;
      if (settings.errorReasons) r.errorReasons = { ...settings.errorReasons };
      if (settings.failureStatusCodes) r.failureStatusCodes = { ...settings.failureStatusCodes };
      if (settings.countries) r.countries = { ...settings.countries };
      if (settings.lastRequestAt !== undefined) r.lastRequestAt = settings.lastRequestAt;
    },
    setQuotas(settings) {
      const q = state.quotas;
      q.ondemandTotal = nonNegative(settings.ondemandTotal, 'ondemandTotal') ?? q.ondemandTotal;
      q.ondemandUsed = nonNegative(settings.ondemandUsed, 'ondemandUsed') ?? q.ondemandUsed;
      q.replacementsTotal =
        nonNegative(settings.replacementsTotal, 'replacementsTotal') ?? q.replacementsTotal;
      q.replacementsUsed = nonNegative(settings.replacementsUsed, 'replacementsUsed') ?? q.replacementsUsed;
      const ondemand = nonNegative(settings.ondemandAvailable, 'ondemandAvailable');
      // Within the total, "available" means "used = total - available"; above it, the total grows.
      if (ondemand !== undefined) {
        if (ondemand <= q.ondemandTotal) q.ondemandUsed = q.ondemandTotal - ondemand;
        else q.ondemandTotal = q.ondemandUsed + ondemand;
      }
      const replacements = nonNegative(settings.replacementsAvailable, 'replacementsAvailable');
      if (replacements !== undefined) {
        if (replacements <= q.replacementsTotal) q.replacementsUsed = q.replacementsTotal - replacements;
        else q.replacementsTotal = q.replacementsUsed + replacements;
      }
    },
    setProxyCount(count) {
      state.proxies.resize(count);
    },
    invalidate(target, options = {}) {
      const proxies = state.proxies;
      let chosen: number[];
      if (Array.isArray(target)) chosen = indicesOf(target);
      else {
        const country = options.country?.toUpperCase();
        const candidates = proxies.filter(
          (i) => proxies.isValid(i) && (country === undefined || proxies.countryCode(i) === country),
        );
        const random = seededRandom(hash32(state.options.seed, 77, picks++));
        const take = Math.min(Math.max(0, Math.floor(target)), candidates.length);
        // Partial Fisher–Yates: the first `take` slots end up a seeded random sample.
        for (let i = 0; i < take; i++) {
          const j = i + Math.floor(random() * (candidates.length - i));
          [candidates[i], candidates[j]] = [candidates[j] as number, candidates[i] as number];
        }
        chosen = candidates.slice(0, take).sort((a, b) => a - b);
      }
      for (const index of chosen) proxies.setValid(index, false);
      return chosen.map((index) => proxies.address(index));
    },
    recover(target) {
      const proxies = state.proxies;
      const invalid = proxies.invalidIndices();
      const chosen =
        target === 'all' ? invalid : Array.isArray(target) ? indicesOf(target) : invalid.slice(0, target);
      for (const index of chosen) proxies.setValid(index, true);
      return chosen.map((index) => proxies.address(index));
    },
    advance(seconds) {
      advance(state, seconds);
    },
    setGrowth(growth) {
      for (const [key, value] of Object.entries(growth)) {
        nonNegative(value as number, key);
        if (key in state.growth) state.growth[key as keyof Growth] = value as number;
      }
    },
    setSubUserUsage(id, usageBytes) {
      const subUser = state.subUsers.get(id);
      if (!subUser) throw new RangeError(`no sub-user ${id}`);
      subUser.proxy_usage = nonNegative(usageBytes, 'usageBytes') as number;
    },
    inject: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    listFaults: () => faults.list(),
    revokeKey() {
      state.apiKey = null;
    },
    setApiKey(key) {
      if (!key) throw new TypeError('an API key may not be empty');
      state.apiKey = key;
    },
    setSubscriptionEnd(iso) {
      if (Number.isNaN(Date.parse(iso))) throw new TypeError(`not a date: ${iso}`);
      state.subscription.end_date = new Date(iso).toISOString();
    },
    setAutoRefresh({ frequencySeconds, percentage }) {
      const s = state.subscription;
      s.automatic_refresh_frequency = nonNegative(frequencySeconds, 'frequencySeconds') as number;
      s.automatic_refresh_percentage =
        frequencySeconds > 0 ? (nonNegative(percentage, 'percentage') ?? 100) : 0;
      s.automatic_refresh_last_at = frequencySeconds > 0 ? new Date(clockMs(state)).toISOString() : null;
    },
    setEnforceRateLimits(enforce) {
      state.options.enforceRateLimits = enforce;
    },
    setQuirks(quirks) {
      state.options.quirks = [...quirks];
    },
    clearRequests() {
      requests.length = 0;
    },
    now: () => clockMs(state),
    snapshot() {
      const now = clockMs(state);
      const invalid = state.proxies.invalidIndices();
      return {
        now: new Date(now).toISOString(),
        apiKeyRevoked: state.apiKey === null,
        proxyCount: state.proxies.count,
        countries: state.proxies.countsByCountry(),
        invalidCount: invalid.length,
        invalidAddresses: invalid.slice(0, SNAPSHOT_ADDRESS_LIMIT).map((i) => state.proxies.address(i)),
        bandwidth: { ...state.bandwidth },
        requests: structuredClone(state.requests),
        growth: { ...state.growth },
        quotas: { ...state.quotas },
        subscription: { ...state.subscription },
        subUsers: [...state.subUsers.values()].map(subUserBody),
        replacements: state.replacements.map((r) => ({ ...r })),
        faults: faults.list(),
        rateWindow: {
          general: limiter.inWindow('general', now),
          proxyList: limiter.inWindow('proxyList', now),
        },
        requestCount: requests.length,
      };
    },
    reset() {
      Object.assign(state, createState(original));
      faults.clear();
      limiter.clear();
      requests.length = 0;
      picks = 0;
    },
  };
}
