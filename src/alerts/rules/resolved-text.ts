/** The one sentence a resolved message says about the metric now. Pure. */
import { formatBytes, formatPercent } from '../../lib/format';
import type { Evaluation } from '../types';

/** One sentence saying what the metric is now, for a resolved message. */
export function resolvedText(evaluation: Evaluation): string {
  const v = evaluation.values;
  const num = (name: string): number | null => (typeof v[name] === 'number' ? (v[name] as number) : null);
  switch (evaluation.rule) {
    case 'bandwidth': {
      const percent = num('percent');
      const limit = num('limit_bytes');
      return percent !== null && limit !== null
        ? `Bandwidth is back to ${formatPercent(percent)} of ${formatBytes(limit)}.`
        : 'Bandwidth is back under the thresholds.';
    }
    case 'projection': {
      const projected = num('projected_bytes');
      const limit = num('limit_bytes');
      return projected !== null && limit !== null
        ? `Projected usage is now ${formatBytes(projected)} of ${formatBytes(limit)}.`
        : 'Usage is no longer projected to exceed the limit.';
    }
    case 'invalid_proxies': {
      const ratio = num('ratio_percent');
      return ratio !== null
        ? `${num('invalid') ?? 0} of ${num('total') ?? 0} proxies invalid (${formatPercent(ratio)}).`
        : 'Invalid proxies are back to normal.';
    }
    case 'failure_rate': {
      const rate = num('rate_percent');
      return rate !== null
        ? `Request failure rate is back to ${formatPercent(rate)} (${num('failed') ?? 0} of ${num('requests') ?? 0}).`
        : 'Request volume is below the minimum; the failure rate is no longer judged.';
    }
    case 'subuser_usage': {
      const percent = num('percent');
      return percent !== null
        ? `Now at ${formatPercent(percent)} of its limit.`
        : 'The sub-user is no longer over its limit.';
    }
    case 'webshare_unreachable':
      return 'Webshare answers again.';
    case 'webshare_auth':
      return 'Webshare accepts the API key again.';
    default:
      return 'The condition has cleared.';
  }
}
