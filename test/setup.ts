/**
 * Runs before every test file inside workerd. Storage is shared by the tests of one file, so KV is
 * emptied before each test: every test starts from a fresh account state. (Durable Objects keep
 * their storage: tests give their objects unique names instead. The one exception is the account's
 * rate gate, which has one name by design: its window is account state, so it is emptied too.) The
 * isolate is shared too, so the public /healthz memo is dropped as well, and the clock goes back to
 * the suite's offset from today (test/helpers/clock.ts).
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { beforeEach, inject } from 'vitest';
import { forgetPublicHealth } from '../src/routes/health';
import { RATE_GATE_NAME } from '../src/webshare/rate-gate';
import { installTestClock, resetTestClock, translateAlarms } from './helpers/clock';

installTestClock(inject('clockOffsetDays'));

async function clearKv(kv: KVNamespace): Promise<void> {
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown, string> = await kv.list(cursor ? { cursor } : {});
    await Promise.all(page.keys.map((key) => kv.delete(key.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}

async function clearRateGate(gate: DurableObjectStub | undefined): Promise<void> {
  if (!gate) return;
  await runInDurableObject(gate, (_instance, state) => state.storage.deleteAll());
}

beforeEach(async () => {
  resetTestClock();
  forgetPublicHealth();
  const bindings = env as unknown as { STATE: KVNamespace; RATE_GATE?: DurableObjectNamespace };
  const gate = bindings.RATE_GATE?.get(bindings.RATE_GATE.idFromName(RATE_GATE_NAME));
  if (gate) await translateAlarms(gate);
  await Promise.all([clearKv(bindings.STATE), clearRateGate(gate)]);
});
