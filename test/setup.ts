/**
 * Runs before every test file inside workerd. Storage is shared by the tests of one file, so KV is
 * emptied before each test: every test starts from a fresh account state. (Durable Objects keep
 * their storage: tests give their objects unique names instead.)
 */
import { env } from 'cloudflare:test';
import { beforeEach } from 'vitest';

async function clearKv(kv: KVNamespace): Promise<void> {
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await kv.list(cursor ? { cursor } : {});
    await Promise.all(page.keys.map((key) => kv.delete(key.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}

beforeEach(async () => {
  await clearKv((env as unknown as { STATE: KVNamespace }).STATE);
});
