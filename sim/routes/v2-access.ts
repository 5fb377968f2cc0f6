/**
 * Webshare v2 proxy access over the same account state as v1 (`state.config`):
 * - /api/v2/proxy/ipauthorization/: list (paginated, `page_size` honoured), create (201; 400 when the
 *   address is invalid or already authorised, as DOCS ipauthorization_create.md warns), get, and
 *   DELETE /{id}/ (204). The set is v1's `authorized_ips`; ids live beside it, so both dialects
 *   always see one set.
 * - PATCH /api/v2/proxy/config/ with `password`, validated by DOCS proxy-config.md's rule (8-32
 *   alphanumerics, not too common, not too similar to the username), answering the full config.
 *   There is no reset endpoint in v2: the caller picks the password.
 */
import { isIpAddress } from '../addresses';
import { pageSlice } from '../pagination';
import { ApiError, detail, fieldErrors, json, notFound, type FieldIssue } from '../responses';
import type { SimState } from '../state';
import type { ApiContext, ApiRoute } from './types';

/** DRF's default and the cap the simulator applies to `page_size`. */
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 100;
/** A small stand-in for Webshare's "too common" list. */
const COMMON_PASSWORDS = new Set(['password', 'password1', '12345678', '123456789', 'qwerty123', 'iloveyou']);

interface Authorization {
  id: number;
  created_at: string;
}

interface AccessBook {
  nextId: number;
  byIp: Map<string, Authorization>;
}

const books = new WeakMap<SimState, AccessBook>();

/** The v2 objects for the current set; addresses added through v1 get their id on first sight. */
function authorizations(state: SimState, nowMs: number) {
  let book = books.get(state);
  if (!book) books.set(state, (book = { nextId: 1337, byIp: new Map() }));
  const current = new Set(state.config.authorized_ips);
  for (const ip of book.byIp.keys()) if (!current.has(ip)) book.byIp.delete(ip);
  return state.config.authorized_ips.map((ip) => {
    let entry = book.byIp.get(ip);
    if (!entry) {
      entry = { id: book.nextId++, created_at: new Date(nowMs).toISOString() };
      book.byIp.set(ip, entry);
    }
    return { id: entry.id, ip_address: ip, created_at: entry.created_at, last_used_at: null };
  });
}

function pageSize(url: URL): number {
  const raw = url.searchParams.get('page_size');
  if (raw === null || raw === '') return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw detail(404, 'Invalid page.');
  return Math.min(Number(raw), MAX_PAGE_SIZE);
}

function passwordIssues(password: unknown, username: string): FieldIssue[] {
  const issue = (message: string, code: string): FieldIssue[] => [{ field: 'password', message, code }];
  if (typeof password !== 'string') return issue('Not a valid string.', 'invalid');
  if (password.length < 8 || password.length > 32) {
    return issue('Ensure this field has between 8 and 32 characters.', 'invalid_length');
  }
  if (!/^[A-Za-z0-9]+$/.test(password)) return issue('Password must be alphanumeric.', 'invalid');
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    return issue('This password is too common.', 'password_too_common');
  }
  const lower = password.toLowerCase();
  const user = username.toLowerCase();
  if (lower.includes(user) || user.includes(lower)) {
    return issue('The password is too similar to the username.', 'password_too_similar');
  }
  return [];
}

export const v2AccessRoutes: ApiRoute[] = [
  {
    dialect: 'v2',
    path: '/api/v2/proxy/ipauthorization/',
    methods: {
      GET: ({ state, url, nowMs }) => {
        const all = authorizations(state, nowMs);
        const slice = pageSlice(url, state.options.origin, all.length, pageSize(url));
        const { count, next, previous } = slice;
        return { count, next, previous, results: all.slice(slice.start, slice.end) };
      },
      POST: async ({ state, body, nowMs }) => {
        const ip = (await body()).ip_address;
        const shape = state.options.fieldErrorShape;
        if (ip === undefined) {
          throw fieldErrors(
            [{ field: 'ip_address', message: 'This field is required.', code: 'required' }],
            shape,
          );
        }
        if (typeof ip !== 'string' || !isIpAddress(ip)) {
          const message = 'Enter a valid IPv4 or IPv6 address.';
          throw fieldErrors([{ field: 'ip_address', message, code: 'invalid' }], shape);
        }
        if (state.config.authorized_ips.includes(ip)) {
          const message = 'This IP address is already authorized.';
          throw fieldErrors([{ field: 'ip_address', message, code: 'unique' }], shape);
        }
        state.config.authorized_ips = [...state.config.authorized_ips, ip];
        const created = authorizations(state, nowMs).find((entry) => entry.ip_address === ip);
        return json(created, 201);
      },
    },
  },
  {
    dialect: 'v2',
    path: '/api/v2/proxy/ipauthorization/:id/',
    methods: {
      GET: ({ state, params, nowMs }) => {
        const found = authorizations(state, nowMs).find((entry) => String(entry.id) === params.id);
        if (!found) throw notFound();
        return found;
      },
      DELETE: ({ state, params, nowMs }) => {
        const found = authorizations(state, nowMs).find((entry) => String(entry.id) === params.id);
        if (!found) throw notFound();
        state.config.authorized_ips = state.config.authorized_ips.filter((ip) => ip !== found.ip_address);
        return new Response(null, { status: 204 });
      },
    },
  },
];

/**
 * PATCH /api/v2/proxy/config/ with a new password: the one v2 config change the simulator models.
 * The route (v2/proxies.ts, beside the GET of the same path) answers with the config object.
 */
export async function applyV2Password({ state, body }: ApiContext): Promise<void> {
  const input = await body();
  if (!('password' in input)) {
    // The simulator models only the password of the v2 config.
    throw new ApiError(400, { detail: 'The simulator accepts only `password` on this endpoint.' });
  }
  const issues = passwordIssues(input.password, state.config.username);
  if (issues.length > 0) throw fieldErrors(issues, state.options.fieldErrorShape);
  state.passwordGeneration++;
  state.config.password = input.password as string;
}
