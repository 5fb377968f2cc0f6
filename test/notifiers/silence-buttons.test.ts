/**
 * Slack alert messages carry "Silence 1 h" and "Silence until resolved" only when chat-ops can verify
 * the click (SLACK_SIGNING_SECRET), and only while the alert fires. Through the real engine.
 */
import { describe, expect, it } from 'vitest';
import type { Env } from '../../src/env';
import { Harness, STATE } from '../alerts/harness';
import { T0 } from '../alerts/snapshot-builder';

const PUBLIC_URL = 'https://ops.example.com';
const DASHBOARD_BUTTON = {
  type: 'button',
  text: { type: 'plain_text', text: 'Open dashboard' },
  url: `${PUBLIC_URL}/dashboard`,
  action_id: 'open_dashboard',
};
const VALUE = JSON.stringify({ key: 'bandwidth', rule: 'bandwidth', since: new Date(T0).toISOString() });

interface SlackBody {
  blocks: { type: string }[];
}

/** Slack, Discord and webhook bodies of a firing → escalated → resolved bandwidth incident. */
async function incident(env: Partial<Env>) {
  const h = new Harness(env);
  await h.next({ percent: 85 });
  await h.next({ percent: 100 });
  await h.next({ percent: 10 });
  const actions = h.slack.requests.map((r) =>
    (JSON.parse(r.body) as SlackBody).blocks.filter((b) => b.type === 'actions'),
  );
  return { h, actions };
}

describe('silence buttons on Slack alerts', () => {
  it('puts both silence buttons and the dashboard link on firing and escalated messages when SLACK_SIGNING_SECRET is set', async () => {
    const { h, actions } = await incident({ PUBLIC_URL, SLACK_SIGNING_SECRET: 'slack-signing-secret' });
    expect(h.slackHeadlines().map((t) => t.split(':')[0])).toEqual([
      '🟠 WARNING',
      '🔴 ESCALATED CRITICAL',
      '✅ RESOLVED',
    ]);
    const withButtons = {
      type: 'actions',
      block_id: 'webshare_ops_alert_actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Silence 1 h' },
          action_id: 'silence_1h',
          value: VALUE,
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Silence until resolved' },
          action_id: 'silence_until_resolved',
          value: VALUE,
        },
        DASHBOARD_BUTTON,
      ],
    };
    expect(actions[0]).toEqual([withButtons]);
    expect(actions[1]).toEqual([withButtons]);
    // Resolved: nothing left to silence, only the link.
    expect(actions[2]).toEqual([{ type: 'actions', elements: [DASHBOARD_BUTTON] }]);
  });

  it('draws the silence buttons without PUBLIC_URL too, just without the link', async () => {
    const { actions } = await incident({ SLACK_SIGNING_SECRET: 'slack-signing-secret' });
    expect(actions[0]![0]).toMatchObject({
      elements: [{ action_id: 'silence_1h' }, { action_id: 'silence_until_resolved' }],
    });
    expect(actions[2]).toEqual([]);
  });

  it('sends exactly the same messages as before on every channel without SLACK_SIGNING_SECRET', async () => {
    const plain = await incident({ PUBLIC_URL });
    expect(plain.actions).toEqual([
      [{ type: 'actions', elements: [DASHBOARD_BUTTON] }],
      [{ type: 'actions', elements: [DASHBOARD_BUTTON] }],
      [{ type: 'actions', elements: [DASHBOARD_BUTTON] }],
    ]);
    const slackBodies = plain.h.slack.requests.map((r) => r.body);
    const discordBodies = plain.h.discord.requests.map((r) => r.body);
    // With the secret only Slack's action blocks differ; Discord's messages are byte for byte the same.
    // The same incident again, from scratch (the engine's state is in KV).
    for (const { name } of (await STATE.list()).keys) await STATE.delete(name);
    const chat = await incident({ PUBLIC_URL, SLACK_SIGNING_SECRET: 'slack-signing-secret' });
    expect(chat.h.discord.requests.map((r) => r.body)).toEqual(discordBodies);
    const withoutActions = (body: string) =>
      JSON.stringify({
        ...(JSON.parse(body) as SlackBody),
        blocks: (JSON.parse(body) as SlackBody).blocks.filter((b) => b.type !== 'actions'),
      });
    expect(chat.h.slack.requests.map((r) => withoutActions(r.body))).toEqual(slackBodies.map(withoutActions));
  });
});
