import { describe, expect, it } from 'vitest';
import { SubrequestBudget } from '../../src/lib/budget';
import { createLogger } from '../../src/lib/log';
import { deliverJobs, type DeliveryJob } from '../../src/notifiers/deliver';
import { retryDelayMs } from '../../src/notifiers/outbox';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { fakeSleep, makeConfig, notification } from './fixtures';
import type { Channel } from '../../src/model/notification';

const NOW = Date.UTC(2026, 10, 20, 12);

function setup(configOverrides = {}) {
  const slack = new RecordingSink();
  const discord = new RecordingSink();
  const hook = new RecordingSink();
  routeOutbound({ 'slack.sink': slack.fetch, 'discord.sink': discord.fetch, 'hook.sink': hook.fetch });
  const lines: string[] = [];
  const log = createLogger({ sink: (line) => lines.push(line) });
  const { sleep, waits } = fakeSleep();
  const config = makeConfig(configOverrides);
  const run = (jobs: DeliveryJob[], budget = new SubrequestBudget(50), blocked?: Set<Channel>) =>
    deliverJobs(jobs, { config, budget, log, nowMs: NOW, sleep, random: () => 0.5, blocked });
  return { slack, discord, hook, run, waits, lines };
}

const job = (channel: Channel, id = 'msg_1'): DeliveryJob => ({
  deliveryId: `${id}:${channel}`,
  channel,
  notification: notification({ id }),
  attempts: 0,
});

describe('delivery', () => {
  it('delivers to every channel, Discord with ?wait=true', async () => {
    const { slack, discord, hook, run } = setup();
    const results = await run([job('slack'), job('discord'), job('webhook')]);
    expect(results.map((r) => r.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(slack.requests).toHaveLength(1);
    expect(new URL(discord.requests[0]?.url ?? '').searchParams.get('wait')).toBe('true');
    expect(hook.requests[0]?.headers['webhook-id']).toBe('msg_1');
  });

  it('retries 5xx with backoff within the tick, then reports retry', async () => {
    const { slack, run, waits } = setup();
    slack.respondWith(500, 502, 503);
    const [result] = await run([job('slack')]);
    expect(result).toMatchObject({ outcome: 'retry', status: 503, attempts: 3 });
    expect(slack.requests).toHaveLength(3);
    expect(waits).toEqual([125, 250]); // full jitter with random 0.5: 250·2^0/2, 250·2^1/2
  });

  it('recovers within the tick when a later attempt succeeds', async () => {
    const { slack, run } = setup();
    slack.respondWith(500);
    expect((await run([job('slack')]))[0]).toMatchObject({ outcome: 'delivered', attempts: 2 });
  });

  it('honours a short Retry-After, and queues for later on a long one', async () => {
    const { slack, run, waits } = setup();
    slack.respondWith({ status: 429, headers: { 'retry-after': '1' } });
    expect((await run([job('slack')]))[0]).toMatchObject({ outcome: 'delivered', attempts: 2 });
    expect(waits).toEqual([1000]);

    slack.respondWith({ status: 429, headers: { 'retry-after': '120' } });
    expect((await run([job('slack')]))[0]).toMatchObject({
      outcome: 'retry',
      status: 429,
      notBeforeMs: NOW + 120_000,
    });
  });

  it("reads Discord's JSON retry_after", async () => {
    const { discord, run } = setup();
    discord.respondWith({
      status: 429,
      body: JSON.stringify({ message: 'You are being rate limited.', retry_after: 64.5 }),
    });
    expect((await run([job('discord')]))[0]).toMatchObject({ outcome: 'retry', notBeforeMs: NOW + 65_000 });
  });

  it.each([
    [404, 'no_service', 'slack answered 404 (no_service)'],
    [410, 'channel_is_archived', 'slack answered 410 (channel_is_archived)'],
    [400, 'invalid_payload', 'slack answered 400 (invalid_payload)'],
    [403, '<html>forbidden</html>', 'slack answered 403'],
  ])('treats %s as undeliverable without retrying', async (status, body, error) => {
    const { slack, run } = setup();
    slack.respondWith({ status, body });
    expect((await run([job('slack')]))[0]).toEqual({ outcome: 'undeliverable', status, error, attempts: 1 });
    expect(slack.requests).toHaveLength(1);
  });

  it('times a hung channel out without blocking the others', async () => {
    const { slack, discord, run } = setup({
      ALERTS: { delivery: { timeout_ms: 200, attempts_per_tick: 1 } },
    });
    slack.respondWith({ status: 200, delayMs: 5000 });
    const started = Date.now();
    const [s, d] = await run([job('slack'), job('discord')]);
    expect(s).toMatchObject({ outcome: 'retry', status: null, error: 'timed out after 200 ms' });
    expect(d).toMatchObject({ outcome: 'delivered' });
    expect(discord.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('takes every attempt from the budget and defers what it cannot afford', async () => {
    const { slack, discord, run } = setup();
    slack.respondWith(500, 500, 500);
    const budget = new SubrequestBudget(2);
    const results = await run([job('slack'), job('discord')], budget);
    expect(budget.used).toBe(2);
    expect(slack.requests.length + discord.requests.length).toBe(2);
    expect(results.map((r) => r.outcome).sort()).toEqual(expect.arrayContaining(['retry']));
  });

  it('keeps a channel in order: once a message must wait, later ones wait behind it', async () => {
    const { slack, run } = setup();
    slack.respondWith(500, 500, 500);
    const results = await run([job('slack', 'msg_a'), job('slack', 'msg_b')]);
    expect(results.map((r) => r.outcome)).toEqual(['retry', 'deferred']);
    expect(slack.requests).toHaveLength(3);
    const blocked = await run([job('slack', 'msg_c')], undefined, new Set<Channel>(['slack']));
    expect(blocked.map((r) => r.outcome)).toEqual(['deferred']);
  });

  it('never logs or reports the webhook URLs (they embed tokens)', async () => {
    const { slack, run, lines } = setup();
    slack.respondWith(500, 500, { status: 404, body: 'no_service' });
    const results = await run([job('slack')]);
    const text = JSON.stringify(results) + lines.join('\n');
    expect(text).not.toContain('slacksecrettoken123');
    expect(text).not.toContain('slack.sink');
  });
});

describe('retries across ticks', () => {
  it.each([
    [1, 4],
    [2, 9],
    [3, 19],
    [4, 39],
    [5, 59],
    [12, 59],
  ])('after %s failed ticks the next try waits %s minutes', (failedTicks, minutes) => {
    expect(retryDelayMs(failedTicks)).toBe(minutes * 60_000);
  });
});
