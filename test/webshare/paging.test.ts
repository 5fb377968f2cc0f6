import { describe, expect, it } from 'vitest';
import { nextPageNumber } from '../../src/webshare/paging';

describe('nextPageNumber', () => {
  it('reads the page of an absolute next link, whatever parameters surround it', () => {
    expect(
      nextPageNumber('https://proxy.webshare.io/api/v2/proxy/list/?mode=direct&page=2&page_size=25', 1),
    ).toBe(2);
    expect(nextPageNumber('https://proxy.webshare.io/api/proxy/list/?page=7', 6)).toBe(7);
  });

  it('reads a relative link and a percent-encoded or plus-padded page', () => {
    expect(nextPageNumber('?page=3', 2)).toBe(3);
    expect(nextPageNumber('/api/v2/proxy/list/?page=%34', 3)).toBe(4);
    expect(nextPageNumber('?page=+5', 4)).toBe(5);
  });

  it('takes the first page parameter of the query, not one in the path or the fragment', () => {
    expect(nextPageNumber('/list&page=9/?page=2&page=8', 1)).toBe(2);
    expect(nextPageNumber('/list/?size=1#page=9', 1)).toBeUndefined();
    expect(nextPageNumber('/list/?page=3#page=9', 1)).toBe(3);
  });

  it('ends the paging at no link, no page, an unreadable page or one that does not advance', () => {
    expect(nextPageNumber(null, 1)).toBeUndefined();
    expect(nextPageNumber('', 1)).toBeUndefined();
    expect(nextPageNumber('https://proxy.webshare.io/api/v2/proxy/list/?page_size=25', 1)).toBeUndefined();
    expect(nextPageNumber('?page=two', 1)).toBeUndefined();
    expect(nextPageNumber('?page=%E0%A4%A', 1)).toBeUndefined();
    expect(nextPageNumber('?page=2.5', 1)).toBeUndefined();
    expect(nextPageNumber('?page=1', 1)).toBeUndefined();
    expect(nextPageNumber('?page=', 1)).toBeUndefined();
  });
});
