/**
 * v1's validity page is read by hand (src/webshare/v1/validity-page.ts) for speed; it must answer
 * exactly as the zod schema it replaced, kept here as the reference: the same data for every body the
 * schema accepts, a refusal naming the same fields for every body it refuses.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { pageSchema } from '../../src/webshare/page-schema';
import { ValidityPageParser } from '../../src/webshare/v1/validity-page';

/** The schema the worker used before the hand reader, unchanged: three fields of each proxy. */
const ProxyValidityPageSchema = pageSchema(
  z.object({ proxy_address: z.string(), valid: z.boolean(), country_code: z.string().nullish() }),
);

const proxy = (overrides: Record<string, unknown> = {}) => ({
  username: 'user',
  password: 'secret-password',
  proxy_address: '203.0.113.1',
  ports: { http: 80 },
  valid: true,
  last_verification: '2019-06-09T23:34:00.095501-07:00',
  country_code: 'US',
  city_name: 'New York',
  ...overrides,
});

const page = (overrides: Record<string, unknown> = {}) => ({
  count: 2,
  next: 'https://proxy.webshare.io/api/proxy/list/?page=2',
  previous: null,
  results: [proxy(), proxy({ proxy_address: '203.0.113.2', valid: false, country_code: null })],
  ...overrides,
});

const fieldsOf = (result: {
  success: boolean;
  error?: { issues: readonly { path: readonly PropertyKey[] }[] };
}) => [...new Set((result.error?.issues ?? []).map((issue) => issue.path.map(String).join('.')))].sort();

const accepted: [string, unknown][] = [
  ['a full page', page()],
  ['the last page (next null, no previous)', page({ next: null, previous: undefined })],
  ['a page without next or previous', { count: 0, results: [] }],
  ['a proxy without a country', page({ results: [proxy({ country_code: undefined })] })],
  ['unknown fields at both levels', { ...page(), surprise: [1], results: [proxy({ extra: { a: 1 } })] }],
];

const refused: [string, unknown][] = [
  ['not an object', 'nope'],
  ['an array', [page()]],
  ['null', null],
  ['no count', { results: [] }],
  ['a string count', page({ count: '2' })],
  ['next a number', page({ next: 2 })],
  ['previous an object', page({ previous: {} })],
  ['no results', { count: 1 }],
  ['results an object', page({ results: {} })],
  ['a result that is null', page({ results: [proxy(), null] })],
  ['valid missing', page({ results: [proxy({ valid: undefined })] })],
  ['valid a string', page({ results: [proxy({ valid: 'true' })] })],
  ['proxy_address null', page({ results: [proxy({ proxy_address: null })] })],
  ['country_code a number', page({ results: [proxy({ country_code: 1 })] })],
  ['several fields wrong', page({ count: null, results: [proxy({ valid: 1, proxy_address: 5 })] })],
];

describe("v1's validity page, read by hand", () => {
  it.each(accepted)('reads %s as zod does, keeping only the sweep’s three fields', (_name, body) => {
    const ours = ValidityPageParser.safeParse(body);
    const zods = ProxyValidityPageSchema.safeParse(body);
    expect(zods.success).toBe(true);
    expect(ours.success).toBe(true);
    if (!ours.success || !zods.success) return;
    expect(ours.data).toEqual(zods.data);
    for (const item of ours.data.results) {
      expect(Object.keys(item).sort()).toEqual(['country_code', 'proxy_address', 'valid']);
      expect(JSON.stringify(item)).not.toContain('secret-password');
    }
  });

  it.each(refused)('refuses %s as zod does, naming the same fields', (_name, body) => {
    const ours = ValidityPageParser.safeParse(body);
    const zods = ProxyValidityPageSchema.safeParse(body);
    expect(zods.success).toBe(false);
    expect(ours.success).toBe(false);
    expect(fieldsOf(ours)).toEqual(fieldsOf(zods));
  });
});
