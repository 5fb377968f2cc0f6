/**
 * Assumptions 3 and 4, on v2: the proxy list honours `page_size=100`, and `valid=false` and
 * `country_code__in` filter (in `mode=direct`) with a page size. Each is judged by what the answer
 * holds, not by its count alone: a filter the server ignored still answers a count.
 */
import type { WebshareApi } from '../port';
import type { ProxyValidityPage } from '../types';
import { finding, judged, type Finding } from './report';

/** What the sweep asks for (see docs/webshare-api.md, "The sweep on v2"). */
const ASKED_PAGE_SIZE = 100;

export async function checkProxyList(api: WebshareApi): Promise<Finding[]> {
  let first: ProxyValidityPage | undefined;
  const pageSize = await judged('page-size', async () => {
    first = await api.listProxyValidity({ pageSize: ASKED_PAGE_SIZE });
    return judgePageSize(first);
  });
  // Without the first page there is no total to judge the filters against (its failure is reported above).
  const filters = first
    ? await judged('list-filters', () => judgeFilters(api, first!))
    : {
        ...finding('list-filters', 'not checkable read-only', 'the list could not be read'),
        read_failed: true as const,
      };
  return [pageSize, filters];
}

function judgePageSize({ count, results }: ProxyValidityPage): Finding {
  const asked = `page_size=${ASKED_PAGE_SIZE} answered ${results.length} of ${count}`;
  if (count === 0) return finding('page-size', 'not checkable read-only', `${asked}: the list is empty`);
  if (results.length >= Math.min(ASKED_PAGE_SIZE, count)) {
    const whole = count < ASKED_PAGE_SIZE ? ' (the whole list: a larger maximum cannot be seen)' : '';
    return finding('page-size', 'confirmed', `${asked}${whole}`);
  }
  const pages = Math.ceil(count / Math.max(1, results.length));
  return finding(
    'page-size',
    'contradicted',
    `${asked}: at most ${results.length} a page (${pages} requests a sweep)`,
  );
}

async function judgeFilters(api: WebshareApi, first: ProxyValidityPage): Promise<Finding> {
  const country = first.results.find((p) => p.country_code)?.country_code;
  if (first.count === 0 || !country) {
    return finding('list-filters', 'not checkable read-only', 'no proxy with a country to filter by');
  }
  const [invalid, inCountry] = await Promise.all([
    api.listProxyValidity({ valid: false, pageSize: ASKED_PAGE_SIZE }),
    api.listProxyValidity({ countries: [country], pageSize: ASKED_PAGE_SIZE }),
  ]);
  const validListed = invalid.results.filter((p) => p.valid).length;
  const elsewhere = inCountry.results.filter((p) => p.country_code !== country).length;
  const seen =
    `valid=false: ${invalid.count} of ${first.count}, ${validListed} of the ${invalid.results.length} listed are valid; ` +
    `country_code__in=${country}: ${inCountry.count} of ${first.count}, ${elsewhere} of the ${inCountry.results.length} listed elsewhere`;
  const ignored = validListed > 0 || elsewhere > 0 || inCountry.count > first.count;
  return finding('list-filters', ignored ? 'contradicted' : 'confirmed', seen);
}
