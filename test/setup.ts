/**
 * Runs before every test file inside workerd. Storage is shared by the tests of one file, so KV is
 * emptied before each test: every test starts from a fresh account state. (Durable Objects keep
 * their storage: tests give their objects unique names instead.) The isolate is shared too, so the
 * public /healthz memo is dropped as well.
 */
import { env } from 'cloudflare:test';
import { beforeEach } from 'vitest';
import { forgetPublicHealth } from '../src/routes/health';

async function clearKv(kv: KVNamespace): Promise<void> {
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await kv.list(cursor ? { cursor } : {});
    await Promise.all(page.keys.map((key) => kv.delete(key.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}

beforeEach(async () => {
  forgetPublicHealth();
  await clearKv((env as unknown as { STATE: KVNamespace }).STATE);
});
