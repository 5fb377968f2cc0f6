/**
 * A sub-user label full of markup reaches Slack and Discord as text: in chat-ops replies (signed
 * requests to the real worker) and in the alert notifications a real tick sends to the webhooks.
 */
import { describe, expect, it } from 'vitest';
import { GIB_BYTES } from '../../sim';
import { WebshareClient } from '../../src/webshare/v1/client';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { pollerRig } from '../poller/helpers';
import { API_KEY, chatRig, commandInteraction, discord, slack } from './helpers';

const EVIL_LABEL = '<!channel> `x` [login](http://evil.example) @everyone **b** <@U0BOSS>';
const WJ = '\u2060';

describe('a label full of markup in chat-ops replies', () => {
  it('reaches Slack as escaped, verbatim mrkdwn: no mention, no link, no broken code span', async () => {
    const rig = await chatRig();
    await rig.webshare.createSubUser({ label: EVIL_LABEL, proxy_limit: 5 });
    await rig.tick();
    const { raw, body } = await slack(rig, 'subusers in_channel');
    expect(raw).not.toContain('<!channel>');
    expect(raw).not.toContain('<@U0BOSS>');
    expect(raw).not.toContain('<http');
    expect(raw).not.toMatch(/@everyone/);
    const section = body!.blocks.find(
      (b: { type: string; text?: unknown }) => b.type === 'section' && b.text,
    );
    expect(section.text.verbatim).toBe(true);
    expect(section.text.text).toContain(
      `&lt;!channel&gt; ˋxˋ [login](http://evil.example) @${WJ}everyone **b** &lt;@U0BOSS&gt;`,
    );
  });

  it('reaches Discord as escaped markdown with no allowed mentions', async () => {
    const rig = await chatRig();
    await rig.webshare.createSubUser({ label: EVIL_LABEL, proxy_limit: 5 });
    await rig.tick();
    const { body } = await discord(rig, commandInteraction(['subusers'], { in_channel: true }));
    expect(body!.data.allowed_mentions).toEqual({ parse: [] });
    expect(body!.data.embeds[0].description).toContain(
      `\\<!channel> \\\`x\\\` \\[login\\]\\(http://evil.example\\) @${WJ}everyone \\*\\*b\\*\\* \\<@U0BOSS>`,
    );
  });
});

describe('a label full of markup in alert notifications', () => {
  it('is escaped in the Slack and Discord webhook payloads a tick sends', async () => {
    const slackSink = new RecordingSink();
    const discordSink = new RecordingSink();
    const rig = pollerRig(
      {},
      {
        SLACK_WEBHOOK_URL: 'https://slack.sink/services/T0001/B0001/token',
        DISCORD_WEBHOOK_URL: 'https://discord.sink/api/webhooks/1/token',
      },
    );
    routeOutbound({
      'webshare.sim': rig.sim.fetch,
      'slack.sink': slackSink.fetch,
      'discord.sink': discordSink.fetch,
    });
    const webshare = new WebshareClient({
      apiKey: API_KEY,
      baseUrl: 'https://webshare.sim',
      sleep: async () => {},
    });
    const user = await webshare.createSubUser({ label: EVIL_LABEL, proxy_limit: 10 });
    rig.sim.control.setSubUserUsage(user.id, 9.6 * GIB_BYTES);
    await rig.tick();

    // Every text Slack parses: the fallback `text` and each mrkdwn object (headers are plain_text,
    // which Slack never parses for mentions or links).
    const payloads = slackSink.requests.map((_, i) => slackSink.json(i) as Record<string, any>);
    const mrkdwn = JSON.stringify(payloads).match(/"type":"mrkdwn","text":"(?:[^"\\]|\\.)*"/g) ?? [];
    const parsed = [...payloads.map((p) => p.text as string), ...mrkdwn].join('\n');
    expect(parsed).toContain('&lt;!channel&gt;');
    expect(parsed).not.toContain('<!channel>');
    expect(parsed).not.toContain('<@U0BOSS>');
    expect(parsed).not.toMatch(/@everyone/);
    for (const payload of payloads) {
      for (const block of payload.blocks as { type: string; text?: { type: string } }[]) {
        if (block.type === 'header') expect(block.text!.type).toBe('plain_text');
      }
    }
    const discordPayload = discordSink.requests.map((_, i) => discordSink.json(i) as Record<string, any>);
    const label = discordPayload.find((p) => JSON.stringify(p).includes('U0BOSS'));
    expect(label).toBeDefined();
    expect(label!.allowed_mentions).toEqual({ parse: [] });
    const text = JSON.stringify(label!.embeds[0]);
    expect(text).toContain('\\\\[login\\\\]\\\\(http://evil.example\\\\)');
    expect(text).not.toContain('[login](');
  });
});
