/** What sets v2 apart, as the port's properties (../port.ts, DialectTraits). */
import type { DialectTraits } from '../port';
import { RATE_LIMITS_V2_PER_MINUTE } from '../rate-limits';
import { V2_BYTES_PER_GB } from './normalise';

/**
 * CPU one filtered v2 list request (up to 100 proxies) costs a tick. Measured in Node
 * (bench/tick-model.ts) and kept above workerd's 0.27–0.33 ms (bench/tick-cpu-workerd.ts).
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
