import { describe, expect, it } from 'vitest';
import { requestUrl, type Query } from '../../src/lib/request-url';

const ORIGIN = 'https://proxy.webshare.io';

/** What the transport built before: a URL and its searchParams. */
function throughUrl(path: string, query: Query): string {
  const url = new URL(path, ORIGIN);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

const VALUES = [
  1,
  25,
  'direct',
  'US-DE-FR',
  '2026-12-01T00:00:00.000Z',
  'a b+c&d=e?f#g/h',
  "!'()*-._~",
  'żółw 🐢 ü',
  '%41%',
  '\uD800 lone',
  '',
];

describe('requestUrl', () => {
  it('writes the same URL as new URL(path, origin) with searchParams.set for each defined value', () => {
    for (const path of ['/api/v2/proxy/list/', '/api/proxy/config/reset_password/', '/api/v3/proxy/config']) {
      expect(requestUrl(ORIGIN, path)).toBe(throughUrl(path, {}));
      expect(requestUrl(ORIGIN, path, { page: 2, skipped: undefined })).toBe(`${ORIGIN}${path}?page=2`);
      for (const value of VALUES) {
        const query = { page: 3, [`key ${String(value)}`]: value, mode: undefined, valid: 'false' };
        expect(requestUrl(ORIGIN, path, query)).toBe(throughUrl(path, query));
      }
    }
  });

  it('leaves a path a URL would normalise or escape to URL itself', () => {
    for (const path of [
      '/api/../v2/list/',
      '/api/./x/',
      '/api/plan/a b/',
      '/api/plan/ü/',
      'relative/path/',
      '/api/x/?a=1',
    ]) {
      expect(requestUrl(ORIGIN, path, { page: 2 })).toBe(throughUrl(path, { page: 2 }));
    }
  });
});
