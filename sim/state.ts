/**
 * The simulator's mutable state: one Webshare account. Tests may read and change it directly; the
 * control surface and the API routes change it through the same fields.
 */
import { GIB_BYTES, SCENARIO_START_MS, type ResolvedOptions } from './options';
import { ProxyTable } from './proxies';
import { token } from './random';

export interface SimSubUser {
  id: number;
  label: string;
  proxy_username: string;
  proxy_password: string;
  proxy_countries: Record<string, number> | null;
  /** GB; 0 = unlimited. */
  proxy_limit: number;
  /** Bytes. */
  proxy_usage: number;
  max_thread_count: number;
  last_use: string | null;
  created_at: string;
  updated_at: string;
  bandwidth_use_start_date: string;
  bandwidth_use_end_date: string;
  verification_status: string;
  /** Rotates the custom list on refresh. */
  listOffset: number;
  requests: RequestCounters;
}

export interface RequestCounters {
  total: number;
  failed: number;
  countries: Record<string, number>;
  errorReasons: Record<string, number>;
  failureStatusCodes: Record<string, number>;
  lastRequestAt: string | null;
}

export interface Growth {
  bytesPerHour: number;
  requestsPerHour: number;
  /** Share of the new requests that fail, 0..1. */
  failureRatio: number;
  /** Proxy usage each sub-user adds per hour (also counted in the account's bandwidth). */
  subUserBytesPerHour: number;
}

export interface Replacement {
  ip_address: string;
  new_ip_address: string;
  created_at: string;
  /** The v3 replacement request that made it (v2 dialect only). */
  replacement_id?: number;
}

/** A v3 replacement request: created `validating`, carried out when it is next read. */
export interface V2Replacement {
  id: number;
  addresses: string[];
  state: 'validating' | 'processing' | 'completed' | 'failed';
  dry_run: boolean;
  error_code: string | null;
  error: string | null;
  created_at: string;
  completed_at: string | null;
  proxies_removed: number | null;
}

export interface SimState {
  options: ResolvedOptions;
  /** null after revokeKey(): every request is 401. */
  apiKey: string | null;
  /** ms added to the base clock by advance(). */
  advancedMs: number;
  proxies: ProxyTable;
  profile: { email: string; full_name: string; date_joined: string; last_login: string };
  config: { username: string; password: string; authorized_ips: string[]; downloadToken: string };
  subscription: {
    proxy_type: string;
    start_date: string;
    end_date: string;
    automatic_refresh_frequency: number;
    automatic_refresh_percentage: number;
    automatic_refresh_last_at: string | null;
    renewals_paid: number;
    monthly_price: number;
    yearly_price: number;
    free_credits: number;
  };
  bandwidth: { usedBytes: number; limitBytes: number; projectedBytes: number | null };
  requests: RequestCounters;
  growth: Growth;
  quotas: {
    ondemandTotal: number;
    ondemandUsed: number;
    replacementsTotal: number;
    replacementsUsed: number;
  };
  replacements: Replacement[];
  /** v3 replacement requests, by id. */
  v2Replacements: Map<number, V2Replacement>;
  subUsers: Map<number, SimSubUser>;
  nextSubUserId: number;
  /** Bumped by reset_password so each new password differs. */
  passwordGeneration: number;
}

const DAY_MS = 86_400_000;
/** The default period started 12 days before the scenario start and ends 19 days after it. */
const PERIOD_BEFORE_START_DAYS = 12;
const PERIOD_DAYS = 31;

export function emptyCounters(): RequestCounters {
  return {
    total: 0,
    failed: 0,
    countries: {},
    errorReasons: {},
    failureStatusCodes: {},
    lastRequestAt: null,
  };
}

export function createState(options: ResolvedOptions): SimState {
  const baseMs = options.now ? options.now() : SCENARIO_START_MS;
  const start = baseMs - PERIOD_BEFORE_START_DAYS * DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString();
  const proxies = new ProxyTable(options.seed, options.countries, options.proxyCount);
  const usedBytes = Math.min(10 * GIB_BYTES, options.bandwidthLimitBytes || Infinity);
  return {
    // A copy: controls may change options (rate limiting) and reset() must find the originals.
    options: { ...options },
    apiKey: options.apiKey,
    advancedMs: 0,
    proxies,
    profile: {
      email: 'ops@example.com',
      full_name: 'Simulated Operator',
      date_joined: iso(start - 200 * DAY_MS),
      last_login: iso(baseMs - DAY_MS),
    },
    config: {
      username: token(8, options.seed, 11).replace(/\d/g, 'x'),
      password: token(12, options.seed, 12),
      authorized_ips: [],
      downloadToken: token(32, options.seed, 13),
    },
    subscription: {
      proxy_type: 'cloud',
      start_date: iso(start),
      end_date: iso(start + PERIOD_DAYS * DAY_MS),
      automatic_refresh_frequency: 0,
      automatic_refresh_percentage: 0,
      automatic_refresh_last_at: null,
      renewals_paid: 0,
      monthly_price: 29.99,
      yearly_price: 299.99,
      free_credits: 0,
    },
    bandwidth: { usedBytes, limitBytes: options.bandwidthLimitBytes, projectedBytes: null },
    requests: {
      ...emptyCounters(),
      total: 5000,
      failed: 25,
      countries: distribute(5000, proxies.countsByCountry()),
      failureStatusCodes: { '502': 25 },
      lastRequestAt: iso(baseMs - 60_000),
    },
    growth: {
      bytesPerHour: 64 * 1024 ** 2,
      requestsPerHour: 1000,
      failureRatio: 0.005,
      subUserBytesPerHour: 0,
    },
    quotas: {
      ondemandTotal: options.ondemandRefreshes,
      ondemandUsed: 0,
      replacementsTotal: options.proxyReplacements,
      replacementsUsed: 0,
    },
    replacements: [],
    v2Replacements: new Map(),
    subUsers: new Map(),
    nextSubUserId: 1,
    passwordGeneration: 0,
  };
}

/** Splits `total` across keys in proportion to `weights`, in whole numbers that add up to `total`. */
export function distribute(total: number, weights: Record<string, number>): Record<string, number> {
  const entries = Object.entries(weights).filter(([, w]) => w > 0);
  const sum = entries.reduce((s, [, w]) => s + w, 0);
  if (sum === 0 || total <= 0) return {};
  const out: Record<string, number> = {};
  let given = 0;
  entries.forEach(([key, weight], i) => {
    const share = i === entries.length - 1 ? total - given : Math.floor((total * weight) / sum);
    out[key] = share;
    given += share;
  });
  return out;
}

/** The simulator clock in ms. */
export function clockMs(state: SimState): number {
  return (state.options.now ? state.options.now() : SCENARIO_START_MS) + state.advancedMs;
}
