/** The simulator's options and their defaults, resolved once at creation. */

export const DEFAULT_SIM_API_KEY = 'test-api-key-9f8e7d6c';
export const DEFAULT_SIM_ORIGIN = 'https://webshare.sim';
/** The scenario clock starts here unless the caller brings its own clock. */
export const SCENARIO_START_MS = Date.parse('2026-11-01T00:00:00Z');
export const GIB_BYTES = 1024 ** 3;

export type StatsSpelling = 'example' | 'table';
export type FieldErrorShape = 'strings' | 'objects';
export type SimApiVersion = 'both' | 'v1' | 'v2';

/**
 * Ways the simulator can contradict what the worker assumes of the live v2 API
 * (docs/webshare-api.md, "Assumptions a live v2 key should confirm"), so tests and `npm run doctor`
 * can show what happens when an assumption is wrong:
 *   - `ignore-x-subuser` (assumption 5): v2 ignores the X-Subuser header and answers as the account owner;
 *   - `page-size-capped` (assumption 3): the v2 proxy list serves at most SIM_CAPPED_PAGE_SIZE a page,
 *     whatever `page_size` asks;
 *   - `no-valid-filter` (assumption 4): the v2 proxy list ignores `valid=`;
 *   - `v2-forbidden` (assumption 1): every /api/v2/ and /api/v3/ path answers 403, as a server might
 *     to a v1-only key, instead of the 404 the `auto` probe needs to choose v1.
 * The unit of the plan's `bandwidth_limit` (assumption 2) has no quirk: no read-only answer states the
 * limit in bytes, so nothing a client reads could tell 10^9 from 2^30.
 */
export const SIM_QUIRKS = [
  'ignore-x-subuser',
  'page-size-capped',
  'no-valid-filter',
  'v2-forbidden',
] as const;
export type SimQuirk = (typeof SIM_QUIRKS)[number];

export interface SimulatorOptions {
  apiKey?: string;
  proxyCount?: number;
  /** Webshare's page size is not documented; 25 unless set. */
  pageSize?: number;
  subUserPageSize?: number;
  /** Share of proxies per country; shares are normalised to sum to 1. */
  countries?: Record<string, number>;
  seed?: number;
  /** Clock in ms; default an internal scenario clock starting at 2026-11-01T00:00:00Z. */
  now?: () => number;
  /** 0 = unlimited. */
  bandwidthLimitBytes?: number;
  /** On-demand list refreshes per period. */
  ondemandRefreshes?: number;
  /** Individual proxy replacements in total. */
  proxyReplacements?: number;
  enforceRateLimits?: boolean;
  /** Origin of absolute `next`/`previous` links. */
  origin?: string;
  /**
   * Which documented spelling GET /api/proxy/stats/ uses: 'example' (the endpoint example:
   * requests_countries, request_failure_status_code) or 'table' (request_countries,
   * requests_error_reasons, last_request_at).
   */
  statsSpelling?: StatsSpelling;
  /** 400 field errors as `{"field": ["msg"]}` or `{"field": [{"message", "code"}]}`. */
  fieldErrorShape?: FieldErrorShape;
  /** Sub-users the plan allows. */
  subUserLimit?: number;
  /**
   * Which Webshare APIs the simulator answers: `both` (default), `v1` only (legacy paths) or `v2`
   * only (`/api/v2/` + `/api/v3/`); the other dialect's paths answer 404.
   */
  apiVersion?: SimApiVersion;
  /** The request log keeps the newest this many entries, so a long-running server stays small. */
  requestLogLimit?: number;
  /** Assumptions the simulator contradicts (see SIM_QUIRKS); none by default. */
  quirks?: SimQuirk[];
}

export type ResolvedOptions = Required<Omit<SimulatorOptions, 'now'>> & { now: (() => number) | undefined };

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    apiKey: options.apiKey ?? DEFAULT_SIM_API_KEY,
    proxyCount: options.proxyCount ?? 100,
    pageSize: options.pageSize ?? 25,
    subUserPageSize: options.subUserPageSize ?? 25,
    countries: options.countries ?? { US: 0.5, DE: 0.2, FR: 0.2, GB: 0.1 },
    seed: options.seed ?? 1,
    now: options.now,
    bandwidthLimitBytes: options.bandwidthLimitBytes ?? 50 * GIB_BYTES,
    ondemandRefreshes: options.ondemandRefreshes ?? 3,
    proxyReplacements: options.proxyReplacements ?? 10,
    enforceRateLimits: options.enforceRateLimits ?? true,
    origin: (options.origin ?? DEFAULT_SIM_ORIGIN).replace(/\/+$/, ''),
    statsSpelling: options.statsSpelling ?? 'example',
    fieldErrorShape: options.fieldErrorShape ?? 'strings',
    subUserLimit: options.subUserLimit ?? 100,
    requestLogLimit: options.requestLogLimit ?? 100_000,
    apiVersion: options.apiVersion ?? 'both',
    quirks: options.quirks ?? [],
  };
  for (const quirk of resolved.quirks) {
    if (!(SIM_QUIRKS as readonly string[]).includes(quirk)) {
      throw new RangeError(`unknown simulator quirk "${quirk}"; known: ${SIM_QUIRKS.join(', ')}`);
    }
  }
  if (!Number.isInteger(resolved.proxyCount) || resolved.proxyCount < 0) {
    throw new RangeError('proxyCount must be a whole number ≥ 0');
  }
  for (const size of [resolved.pageSize, resolved.subUserPageSize]) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('page sizes must be whole numbers ≥ 1');
  }
  return resolved;
}
