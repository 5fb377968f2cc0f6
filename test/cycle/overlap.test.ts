import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import type { Env } from '../../src/env';
import { runTick } from '../../src/cycle/tick';
import { POLL_LEASE_MS, POLL_LOCK_NAME, type PollLock } from '../../src/cycle/poll-lock';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { createSimulator } from '../../sim';
import { START_MS } from '../poller/helpers';

const GIB = 1024 ** 3;

function lockStub(): DurableObjectStub<PollLock> {
  const namespace = (env as unknown as Env).POLL_LOCK as unknown as DurableObjectNamespace<PollLock>;
  return namespace.get(namespace.idFromName(POLL_LOCK_NAME));
}

describe('overlapping poll cycles', () => {
  it('run one at a time, so an incident is announced once per channel', async () => {
    const clock = { now: START_MS };
    const sim = createSimulator({ now: () => clock.now });
    const slack = new RecordingSink();
    routeOutbound({ 'webshare.sim': sim.fetch, 'slack.sink': slack.fetch });
    const testEnv = { ...(env as unknown as Env), SLACK_WEBHOOK_URL: 'https://slack.sink/hook' };
    sim.control.setBandwidth({ usedBytes: 43 * GIB, limitBytes: 50 * GIB });

    // A cron tick and a manual poll a second apart, both in flight at once.
    const [first, second] = await Promise.all([
      runTick({ env: testEnv, scheduledTime: START_MS, nowMs: START_MS }),
      runTick({ env: testEnv, scheduledTime: START_MS + 1_000, nowMs: START_MS + 1_000 }),
    ]);

    expect([first.tick.status, second.tick.status].sort()).toEqual(['busy', 'done']);
    const bandwidthMessages = slack.requests.filter((r) => r.body.includes('Bandwidth at 86%'));
    expect(bandwidthMessages).toHaveLength(1);

    // The lease was released: the next cycle runs and, with nothing new, sends nothing.
    const next = await runTick({
      env: testEnv,
      scheduledTime: START_MS + 300_000,
      nowMs: START_MS + 300_000,
    });
    expect(next.tick.status).toBe('done');
    expect(slack.requests.filter((r) => r.body.includes('Bandwidth at 86%'))).toHaveLength(1);
  });

  it('answers POST /v1/poll with 409 and Retry-After while a cycle holds the lease', async () => {
    const holder = Date.now();
    const stub = lockStub();
    expect(await stub.claim(holder, Date.now())).toMatchObject({ ok: true });
    try {
      const response = await createApp().request(
        'https://worker.test/v1/poll',
        { method: 'POST', headers: { Authorization: 'Bearer test-admin-token-0123456789' } },
        env,
        createExecutionContext(),
      );
      expect(response.status).toBe(409);
      expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(((await response.json()) as any).error.code).toBe('poll_in_progress');
    } finally {
      await stub.release(holder);
    }
  });

  it('lets a new holder in once a crashed holder’s lease has expired', async () => {
    const stub = lockStub();
    expect(await stub.claim(1, START_MS)).toMatchObject({ ok: true });
    expect(await stub.claim(2, START_MS + 60_000)).toMatchObject({ ok: false });
    expect(await stub.claim(2, START_MS + POLL_LEASE_MS + 1)).toMatchObject({ ok: true });
    await stub.release(1); // a late release from the expired holder changes nothing
    expect(await stub.claim(3, START_MS + POLL_LEASE_MS + 2)).toMatchObject({ ok: false });
    await stub.release(2);
  });
});
