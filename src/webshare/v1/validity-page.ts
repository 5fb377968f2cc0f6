/**
 * v1's proxy-list page as the validity sweep reads it, checked by hand instead of by zod. The sweep
 * reads every page of a large account, and in workerd zod's parse of a page was the largest cost of a
 * tick besides reading its body (docs/performance.md, "Warm tick"): this reader checks exactly what
 * the zod schema it replaced checked (test/webshare/validity-page.test.ts keeps that schema and holds
 * the two to the same answers) and keeps only the three fields the sweep uses, as zod's stripping did.
 * Only the address, `valid` and the country are validated: the rest of a proxy is stripped unread.
 */
import type { ResponseParser } from '../transport';
import type { ProxyValidity, ProxyValidityPage } from '../types';

type Issue = { path: PropertyKey[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isOptionalString = (value: unknown) =>
  value === undefined || value === null || typeof value === 'string';

export const ValidityPageParser: ResponseParser<ProxyValidityPage> = {
  safeParse(json) {
    if (!isRecord(json)) return { success: false, error: { issues: [{ path: [] }] } };
    const issues: Issue[] = [];
    if (typeof json.count !== 'number') issues.push({ path: ['count'] });
    if (!isOptionalString(json.next)) issues.push({ path: ['next'] });
    if (!isOptionalString(json.previous)) issues.push({ path: ['previous'] });
    const items = json.results;
    if (!Array.isArray(items)) {
      issues.push({ path: ['results'] });
      return { success: false, error: { issues } };
    }
    const results: ProxyValidity[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i];
      if (!isRecord(item)) {
        issues.push({ path: ['results', i] });
        continue;
      }
      const { proxy_address, valid, country_code } = item;
      if (typeof proxy_address !== 'string') issues.push({ path: ['results', i, 'proxy_address'] });
      if (typeof valid !== 'boolean') issues.push({ path: ['results', i, 'valid'] });
      if (!isOptionalString(country_code)) issues.push({ path: ['results', i, 'country_code'] });
      results[i] = { proxy_address, valid, country_code } as ProxyValidity;
    }
    if (issues.length > 0) return { success: false, error: { issues } };
    const page: ProxyValidityPage = { count: json.count as number, results };
    if (json.next !== undefined) page.next = json.next as string | null;
    if (json.previous !== undefined) page.previous = json.previous as string | null;
    return { success: true, data: page };
  },
};
