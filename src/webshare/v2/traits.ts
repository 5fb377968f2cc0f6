/** What sets v2 apart, as the port's properties (../port.ts, DialectTraits). */
import type { DialectTraits } from '../port';
import { RATE_LIMITS_V2_PER_MINUTE } from '../rate-limits';
import { V2_BYTES_PER_GB } from './normalise';

/**
 * CPU one filtered v2 list request (up to 100 proxies) costs a tick: workerd measured 0.28–0.50 ms
 * over four runs (bench/tick-cpu-workerd.ts, docs/performance.md), so the top of that range.
 */
export const V2_LIST_REQUEST_CPU_MS = 0.5;

export const V2_TRAITS: DialectTraits = {
  dialect: 'v2',
  rateLimits: RATE_LIMITS_V2_PER_MINUTE,
  bytesPerGb: V2_BYTES_PER_GB,
  filtersProxyList: true,
  replacesAsynchronously: true,
  // v2's page size is ours to choose (FILTERED_SWEEP_PAGE_SIZE): one figure.
  sweepRequestCpuMs: () => V2_LIST_REQUEST_CPU_MS,
};
