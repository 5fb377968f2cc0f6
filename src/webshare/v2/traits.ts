/** What sets v2 apart, as the port's properties (../port.ts, DialectTraits). */
import type { DialectTraits } from '../port';
import { RATE_LIMITS_V2_PER_MINUTE } from '../rate-limits';
import { V2_BYTES_PER_GB } from './normalise';

/**
 * CPU one filtered v2 list request (up to 100 proxies) costs a tick: workerd measured 0.28–0.50 ms
 * over five runs (bench/tick-cpu-workerd.ts, docs/performance.md). 0.4 is kept, not the top: v2's
 * largest tick at 100,000 proxies is 3.5–4.8 ms, far inside the 10 ms, and 0.4 keeps that account's
 * sweep in two ticks (test/cycle/dialects.test.ts), where 0.5 would take three.
 */
export const V2_LIST_REQUEST_CPU_MS = 0.4;

export const V2_TRAITS: DialectTraits = {
  dialect: 'v2',
  rateLimits: RATE_LIMITS_V2_PER_MINUTE,
  bytesPerGb: V2_BYTES_PER_GB,
  filtersProxyList: true,
  replacesAsynchronously: true,
  // v2's page size is ours to choose (FILTERED_SWEEP_PAGE_SIZE): one figure.
  sweepRequestCpuMs: () => V2_LIST_REQUEST_CPU_MS,
};
