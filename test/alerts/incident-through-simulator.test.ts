/**
 * Issue 4's whole incident, end to end: the simulator's account goes 10 → 85 → 85 → 95 → 30 % and
 * the real cron cycle (poll → snapshot → rules → lifecycle → notifiers) runs after each step, with
 * recording sinks as Slack, Discord and the webhook receiver.
 */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { runTick } from '../../src/cycle/tick';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { FIVE_MINUTES_MS, START_MS, pollerRig } from '../poller/helpers';

const GIB = 1024 ** 3;
const WEBHOOK_SECRET = 'whsec_aW5jaWRlbnQtdGVzdC13ZWJob29rLXNlY3JldA==';

describe('a bandwidth incident through the simulator and the real cycle', () => {
  it('sends one 80 % message, one 90 % escalation and one resolved, per channel', async () => {
    const rig = pollerRig(
      {},
      {
        SLACK_WEBHOOK_URL: 'https://slack.sink/hook',
        DISCORD_WEBHOOK_URL: 'https://discord.sink/hook',
        ALERT_WEBHOOK_URL: 'https://hook.sink/events',
        ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
    );
    const sinks = {
      slack: new RecordingSink(),
      discord: new RecordingSink(200),
      webhook: new RecordingSink(),
    };
    routeOutbound({
      'webshare.sim': rig.sim.fetch,
      'slack.sink': sinks.slack.fetch,
      'discord.sink': sinks.discord.fetch,
      'hook.sink': sinks.webhook.fetch,
    });

    for (const [i, percent] of [10, 85, 85, 95, 30].entries()) {
      const used = (50 * GIB * percent) / 100;
      // Projection equal to usage: this walk is about the thresholds, not the overage forecast.
      rig.sim.control.setBandwidth({ usedBytes: used, limitBytes: 50 * GIB, projectedBytes: used });
      const nowMs = START_MS + i * FIVE_MINUTES_MS;
      rig.clock.now = nowMs;
      const { tick } = await runTick({ env: rig.env, scheduledTime: nowMs, nowMs });
      expect(tick.status).toBe('done');
    }

    type Event = { type: string; data: { transition: string; alert: { rule: string } | null } };
    const bandwidthEvents = sinks.webhook.requests
      .map((r) => new Webhook(WEBHOOK_SECRET).verify(r.body, r.headers) as Event)
      .filter((event) => event.data.alert?.rule === 'bandwidth')
      .map((event) => `${event.type} (${event.data.transition})`);
    expect(bandwidthEvents).toEqual([
      'alert.firing (alert.firing)',
      'alert.firing (alert.escalated)',
      'alert.resolved (alert.resolved)',
    ]);

    for (const sink of [sinks.slack, sinks.discord]) {
      const texts = sink.requests.map((r) => r.body).filter((body) => body.includes('Bandwidth'));
      expect(texts).toHaveLength(3);
      expect(texts[0]).toContain('Bandwidth at 85%');
      expect(texts[1]).toContain('Bandwidth at 95%');
      expect(texts[2]).toMatch(/RESOLVED/);
    }
  });
});
