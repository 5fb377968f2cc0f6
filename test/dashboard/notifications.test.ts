/**
 * The dashboard's "Recent notifications" after an incident that fired and resolved, delivered to Slack,
 * Discord and the signed webhook: a resolution reads as one, under its own words, and every channel
 * that delivered is listed.
 */
import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { runTick } from '../../src/cycle/tick';
import type { Env } from '../../src/env';
import { setNow } from '../helpers/clock';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { FIVE_MINUTES_MS, START_MS, pollerRig, type PollerRig } from '../poller/helpers';

const GIB = 1024 ** 3;
const TOKEN = 'test-admin-token-0123456789';

async function dashboardHtml(): Promise<string> {
  const response = await createApp().request(
    'https://worker.test/dashboard',
    { headers: { Authorization: `Bearer ${TOKEN}` } },
    env as unknown as Env,
    createExecutionContext(),
  );
  expect(response.status).toBe(200);
  return response.text();
}

/** The notification list's entries: their heading, their text and the channels shown. */
function notificationEntries(html: string) {
  const list = /<ul class="notifications" data-list="notifications">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map(([, item]) => ({
    heading: /<strong>([\s\S]*?)<\/strong>/.exec(item!)?.[1] ?? '',
    text: item!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    channels: [...item!.matchAll(/data-channel="(\w+)">[^:]*: (\w+)/g)].map((m) => `${m[1]}:${m[2]}`),
  }));
}

/** The account on the simulator, with Slack, Discord and the signed webhook each a recording sink. */
function threeChannelRig(): PollerRig {
  const rig = pollerRig(
    {},
    {
      SLACK_WEBHOOK_URL: 'https://slack.sink/hook',
      DISCORD_WEBHOOK_URL: 'https://discord.sink/hook',
      ALERT_WEBHOOK_URL: 'https://hook.sink/events',
      ALERT_WEBHOOK_SECRET: 'whsec_aW5jaWRlbnQtdGVzdC13ZWJob29rLXNlY3JldA==',
    },
  );
  routeOutbound({
    'webshare.sim': rig.sim.fetch,
    'slack.sink': new RecordingSink().fetch,
    'discord.sink': new RecordingSink().fetch,
    'hook.sink': new RecordingSink().fetch,
  });
  return rig;
}

describe('recent notifications on the dashboard', () => {
  it('shows a firing → resolved incident as a resolution, with all three channels that delivered', async () => {
    const rig = threeChannelRig();
    // Past the limit (100.5 %, projected past it), then the period renews and usage starts again.
    const steps = [
      { usedBytes: 50.25 * GIB, projectedBytes: 60 * GIB },
      { usedBytes: 50.25 * GIB, projectedBytes: 60 * GIB },
      { usedBytes: 1 * GIB, projectedBytes: 10 * GIB },
      { usedBytes: 1 * GIB, projectedBytes: 10 * GIB },
    ];
    let nowMs = START_MS;
    for (const [i, step] of steps.entries()) {
      rig.sim.control.setBandwidth({ ...step, limitBytes: 50 * GIB });
      nowMs = START_MS + i * FIVE_MINUTES_MS;
      rig.clock.now = nowMs;
      await runTick({ env: rig.env, scheduledTime: nowMs, nowMs });
    }
    setNow(nowMs + 60_000);
    const html = await dashboardHtml();
    expect(html).toContain('Nothing firing.');
    const [resolution, firing] = notificationEntries(html);
    expect(resolution).toMatchObject({
      heading: 'Resolved: Bandwidth at 100.5% of 50 GB',
      channels: ['discord:delivered', 'slack:delivered', 'webhook:delivered'],
    });
    expect(resolution!.text).toContain('Bandwidth is back to 2% of 50 GB.');
    expect(firing).toMatchObject({
      heading: 'Bandwidth at 100.5% of 50 GB',
      channels: ['discord:delivered', 'slack:delivered', 'webhook:delivered'],
    });
    expect(firing!.text).not.toContain('Resolved');
  }, 30_000);

  it('lists every channel that delivered, for every notification shown, however long the log', async () => {
    const rig = threeChannelRig();
    // Five incidents, each firing then resolving: ten notifications, thirty deliveries.
    let nowMs = START_MS;
    for (let i = 0; i < 20; i++) {
      const used = i % 4 < 2 ? 46 * GIB : 1 * GIB;
      rig.sim.control.setBandwidth({ usedBytes: used, limitBytes: 50 * GIB, projectedBytes: used });
      nowMs = START_MS + i * FIVE_MINUTES_MS;
      rig.clock.now = nowMs;
      await runTick({ env: rig.env, scheduledTime: nowMs, nowMs });
    }
    setNow(nowMs + 60_000);
    const entries = notificationEntries(await dashboardHtml());
    expect(entries.length).toBeGreaterThanOrEqual(4);
    for (const entry of entries) {
      expect(entry.channels).toEqual(['discord:delivered', 'slack:delivered', 'webhook:delivered']);
    }
  }, 30_000);
});
