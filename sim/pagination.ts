/** Django REST Framework page-number pagination: `{count, next, previous, results}`, absolute links. */
import { detail } from './responses';

export interface PageSlice {
  start: number;
  end: number;
  count: number;
  next: string | null;
  previous: string | null;
}

/** The slice for `?page=` of `total` items; 404 "Invalid page." when the page does not exist. */
export function pageSlice(url: URL, origin: string, total: number, pageSize: number): PageSlice {
  const raw = url.searchParams.get('page');
  const page = raw === null || raw === '' ? 1 : /^\d+$/.test(raw) ? Number(raw) : NaN;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (!Number.isInteger(page) || page < 1 || page > pages) throw detail(404, 'Invalid page.');
  const link = (target: number) => {
    const query = new URLSearchParams(url.searchParams);
    if (target === 1) query.delete('page');
    else query.set('page', String(target));
    const search = query.toString();
    return `${origin}${url.pathname}${search ? `?${search}` : ''}`;
  };
  return {
    start: (page - 1) * pageSize,
    end: Math.min(total, page * pageSize),
    count: total,
    next: page < pages ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
  };
}
