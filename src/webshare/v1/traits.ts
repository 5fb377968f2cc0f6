/** What sets v1 apart, as the port's properties (../port.ts, DialectTraits). */
import { V1_BYTES_PER_GB } from '../../model/snapshot';
import type { DialectTraits } from '../port';
import { RATE_LIMITS_PER_MINUTE } from '../rate-limits';

/** Proxies per list page the v1 CPU figure was measured at (v1's default page size). */
export const V1_MEASURED_PAGE_SIZE = 25;
/**
 * CPU one v1 list page of 25 proxies costs a tick (parse, tally). Measured in Node (bench/tick-model.ts)
 * and kept above workerd's 0.073 ms (bench/tick-cpu-workerd.ts) as the safe side.
 */
export const V1_LIST_REQUEST_CPU_MS = 0.09;

export const V1_TRAITS: DialectTraits = {
  dialect: 'v1',
  rateLimits: RATE_LIMITS_PER_MINUTE,
  // v1's examples state limits in 2^30-byte GB (docs/webshare-api.md, "Units"); old snapshots too.
  bytesPerGb: V1_BYTES_PER_GB,
  filtersProxyList: false,
  replacesAsynchronously: false,
  // A page of more proxies costs proportionally more; never less than the measured page.
  sweepRequestCpuMs: (pageSize) =>
    V1_LIST_REQUEST_CPU_MS * Math.max(1, (pageSize ?? V1_MEASURED_PAGE_SIZE) / V1_MEASURED_PAGE_SIZE),
};
