import { describe, expect, it } from 'vitest';
import { findCreated } from '../../src/routes/admin/subusers';
import type { SubUser } from '../../src/webshare/types';
import { call, errorOf, useSimulator } from './helpers';
import { WIRE } from '../helpers/wire';

interface SubUserJson {
  id: number;
  label: string;
  proxy_password: string;
  proxy_limit: number;
  max_thread_count: number | null;
  proxy_countries: Record<string, number> | null;
}

async function create(body: Record<string, unknown>): Promise<SubUserJson> {
  const response = await call('/v1/subusers', { method: 'POST', json: body });
  expect(response.status).toBe(201);
  return (await response.json()) as SubUserJson;
}

describe('sub-user routes', () => {
  const sim = useSimulator({ subUserPageSize: 2 });

  it('creates a sub-user and returns it with its proxy credentials', async () => {
    const created = await create({
      label: 'customer-1',
      proxy_limit: 5,
      max_thread_count: 50,
      proxy_countries: { US: 2 },
    });
    expect(created).toMatchObject({
      label: 'customer-1',
      proxy_limit: 5,
      max_thread_count: 50,
      proxy_countries: { US: 2 },
    });
    expect(created.proxy_password).toBe(sim().state.subUsers.get(created.id)?.proxy_password);
  });

  it('lists every sub-user across Webshare pages', async () => {
    for (const label of ['a', 'b', 'c', 'd', 'e']) await create({ label, proxy_limit: 1 });
    const response = await call('/v1/subusers');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { count: number; results: SubUserJson[] };
    expect(body.count).toBe(5);
    expect(body.results.map((u) => u.label).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sim().requests.filter((r) => r.method === 'GET' && r.path === WIRE.subusers).length).toBe(3);
  });

  it('reads, updates, refreshes and deletes one sub-user', async () => {
    const { id } = await create({ label: 'one', proxy_limit: 1, proxy_countries: { US: 1 } });

    const read = await call(`/v1/subusers/${id}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as SubUserJson).label).toBe('one');

    const patched = await call(`/v1/subusers/${id}`, {
      method: 'PATCH',
      json: { label: 'renamed', proxy_limit: 0 },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id, label: 'renamed', proxy_limit: 0 });
    expect(sim().state.subUsers.get(id)?.label).toBe('renamed');

    const refreshed = await call(`/v1/subusers/${id}/refresh`, { method: 'POST' });
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as SubUserJson).id).toBe(id);
    expect(sim().requests.some((r) => r.method === 'POST' && r.path === WIRE.subuserRefresh(id))).toBe(true);

    const deleted = await call(`/v1/subusers/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(sim().state.subUsers.has(id)).toBe(false);

    const gone = await call(`/v1/subusers/${id}`);
    expect(gone.status).toBe(404);
    expect((await errorOf(gone)).code).toBe('not_found');
  });

  it.each([
    ['label missing', 'label', { proxy_limit: 1 }],
    ['label empty', 'label', { label: '   ', proxy_limit: 1 }],
    ['label too long', 'label', { label: 'x'.repeat(129), proxy_limit: 1 }],
    ['proxy_limit missing', 'proxy_limit', { label: 'a' }],
    ['proxy_limit negative', 'proxy_limit', { label: 'a', proxy_limit: -1 }],
    ['proxy_limit a string', 'proxy_limit', { label: 'a', proxy_limit: '5' }],
    ['max_thread_count zero', 'max_thread_count', { label: 'a', proxy_limit: 1, max_thread_count: 0 }],
    [
      'max_thread_count fractional',
      'max_thread_count',
      { label: 'a', proxy_limit: 1, max_thread_count: 1.5 },
    ],
    ['a lower-case country', 'proxy_countries', { label: 'a', proxy_limit: 1, proxy_countries: { us: 1 } }],
    [
      'zero proxies for a country',
      'proxy_countries.US',
      { label: 'a', proxy_limit: 1, proxy_countries: { US: 0 } },
    ],
    ['an unknown field', '(body)', { label: 'a', proxy_limit: 1, colour: 'red' }],
  ] as const)(
    'rejects a create with %s (400 naming %s), before calling Webshare',
    async (_case, field, body) => {
      const response = await call('/v1/subusers', { method: 'POST', json: body });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe('invalid_request');
      expect((error.details as { field: string }[]).map((d) => d.field).join(' ')).toContain(
        field.split('.')[0],
      );
      expect(sim().requests).toHaveLength(0);
    },
  );

  it("passes Webshare's reason on when a sub-user without a custom list is refreshed (422)", async () => {
    const { id } = await create({ label: 'plain', proxy_limit: 1 });
    const response = await call(`/v1/subusers/${id}/refresh`, { method: 'POST' });
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe('webshare_rejected');
    expect(error.message).toContain('custom proxy list');
  });

  it('accepts proxy_countries null (no custom list)', async () => {
    const created = await create({ label: 'n', proxy_limit: 1, proxy_countries: null });
    expect(created.proxy_countries).toBeNull();
  });

  it('rejects an empty PATCH and a bad field in a PATCH with 400', async () => {
    const empty = await call('/v1/subusers/1', { method: 'PATCH', json: {} });
    expect(empty.status).toBe(400);
    const bad = await call('/v1/subusers/1', { method: 'PATCH', json: { proxy_limit: -3 } });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toContain('proxy_limit');
    expect(sim().requests).toHaveLength(0);
  });

  it.each([['0'], ['-1'], ['abc'], ['1.5'], ['99999999999999999999']])(
    'rejects sub-user id %s with 400 naming id',
    async (id) => {
      for (const path of [`/v1/subusers/${id}`, `/v1/subusers/${id}/stats`, `/v1/subusers/${id}/proxies`]) {
        const response = await call(path);
        expect(response.status, path).toBe(400);
        expect((await errorOf(response)).message, path).toContain('id');
      }
      expect(sim().requests).toHaveLength(0);
    },
  );
});

describe('findCreated (what a lost create made)', () => {
  const KEY_FIRST_USED_MS = Date.parse('2026-11-28T10:00:00Z');
  const subUser = (fields: Partial<SubUser>): SubUser => ({
    id: 1,
    label: 'c',
    proxy_username: 'u',
    proxy_password: 'p',
    proxy_countries: null,
    proxy_limit: 1,
    proxy_usage: 0,
    max_thread_count: 500,
    last_use: null,
    created_at: '2026-11-28T10:00:01Z',
    verification_status: null,
    ...fields,
  });

  it.each([
    ['made after the key was first used', {}, true],
    ['made exactly when the key was first used', { created_at: '2026-11-28T10:00:00Z' }, true],
    ['made an hour before the key', { created_at: '2026-11-28T09:00:00Z' }, false],
    ['without a creation time', { created_at: null }, false],
    ['with another label', { label: 'd' }, false],
    ['with another limit', { proxy_limit: 2 }, false],
    ['with other countries', { proxy_countries: { FR: 1 } }, false],
  ] as const)('a single sub-user %s', (_name, fields, claimed) => {
    const candidate = subUser(fields as Partial<SubUser>);
    const found = findCreated([candidate], { label: 'c', proxy_limit: 1 }, KEY_FIRST_USED_MS);
    const withCountries = findCreated(
      [candidate],
      { label: 'c', proxy_limit: 1, proxy_countries: null },
      KEY_FIRST_USED_MS,
    );
    // Countries are compared only when the request set them.
    if (!('proxy_countries' in fields)) expect(found).toBe(claimed ? candidate : undefined);
    expect(withCountries).toBe(claimed ? candidate : undefined);
  });

  it('treats an empty country map as no custom list', () => {
    const candidate = subUser({ proxy_countries: {} });
    expect(
      findCreated([candidate], { label: 'c', proxy_limit: 1, proxy_countries: null }, KEY_FIRST_USED_MS),
    ).toBe(candidate);
  });

  it('claims neither of two look-alikes made since the key', () => {
    const twins = [subUser({ id: 1 }), subUser({ id: 2 })];
    expect(findCreated(twins, { label: 'c', proxy_limit: 1 }, KEY_FIRST_USED_MS)).toBeUndefined();
  });
});
