import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { usageBar } from '../../src/notifiers/common';
import { DISCORD_LIMITS, discordPayload, discordUrl, embedLength } from '../../src/notifiers/discord';
import { SLACK_LIMITS, slackPayload } from '../../src/notifiers/slack';
import { webhookRequest } from '../../src/notifiers/webhook';
import { HOOK_SECRET, HOOK_URL, notification } from './fixtures';

const huge = notification({
  title: 'T'.repeat(1000),
  summary: 'S<&>'.repeat(3000),
  fields: Array.from({ length: 40 }, (_, i) => ({ label: `L${i}`.repeat(200), value: 'V'.repeat(3000) })),
});

describe('Slack Block Kit payloads', () => {
  it('has a header with the severity, the summary, fields, a usage bar, a context line and a fallback', () => {
    const payload = slackPayload(notification());
    expect(payload.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    expect(payload.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '🟠 WARNING: Bandwidth at 91.2% of 50 GB', emoji: true },
    });
    expect(JSON.stringify(payload.blocks[3])).toContain('▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓░░ 91.2%');
    expect(JSON.stringify(payload.blocks[4])).toContain('severity warning');
    expect(payload.text).toBe(
      '🟠 WARNING: Bandwidth at 91.2% of 50 GB — Bandwidth at 91.2% of 50 GB (45.6 GB used, 4.4 GB left), past the 90% threshold.',
    );
  });

  it('marks critical and resolved messages', () => {
    expect(slackPayload(notification({ severity: 'critical' })).text).toMatch(/^🔴 CRITICAL: /);
    const resolved = slackPayload(notification({ event: 'alert.resolved', summary: 'Back to 30%.' }));
    expect(resolved.text).toMatch(/^✅ RESOLVED: /);
    expect(resolved.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
  });

  it('stays within Block Kit limits for oversized input', () => {
    const payload = slackPayload(huge);
    expect(payload.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const block of payload.blocks) {
      if (block.type === 'header')
        expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
      if (block.type === 'section' && 'text' in block) {
        expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      }
      if (block.type === 'section' && 'fields' in block) {
        expect(block.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionFields);
        for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      }
    }
    expect(payload.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });

  it('escapes mrkdwn control characters so a label cannot ping the channel', () => {
    const payload = slackPayload(notification({ summary: 'Sub-user <!channel> & <@U123>' }));
    const text = JSON.stringify(payload);
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;@U123&gt;');
  });
});

describe('Discord embeds', () => {
  it('colours by severity, disables mentions and carries fields and usage', () => {
    const payload = discordPayload(notification({ severity: 'critical' }));
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    const [embed] = payload.embeds;
    expect(embed?.color).toBe(0xe01e5a);
    expect(embed?.title).toBe('🔴 CRITICAL: Bandwidth at 91.2% of 50 GB');
    expect(embed?.fields.map((f) => f.name)).toEqual(['Used', 'Limit', 'Usage']);
    expect(discordPayload(notification()).embeds[0]?.color).toBe(0xecb22e);
    expect(discordPayload(notification({ event: 'alert.resolved' })).embeds[0]?.color).toBe(0x2eb67d);
  });

  it('stays within embed limits for oversized input', () => {
    const [embed] = discordPayload(huge).embeds;
    if (!embed) throw new Error('no embed');
    expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(embed.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of embed.fields) {
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    }
    expect(embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.total);
  });

  it('adds wait=true and keeps a thread_id', () => {
    expect(discordUrl('https://discord.sink/api/webhooks/1/t?thread_id=9')).toBe(
      'https://discord.sink/api/webhooks/1/t?thread_id=9&wait=true',
    );
  });
});

describe('generic webhook events', () => {
  it('are signed so a standardwebhooks receiver verifies them, with the notification id as webhook-id', async () => {
    const now = Date.now();
    const { url, init } = await webhookRequest(HOOK_URL, HOOK_SECRET, notification(), now);
    expect(url).toBe(HOOK_URL);
    const headers = init.headers as Record<string, string>;
    expect(headers['webhook-id']).toBe('msg_0123456789abcdef');
    const event = new Webhook(HOOK_SECRET).verify(init.body as string, headers) as Record<string, unknown>;
    expect(event).toMatchObject({
      type: 'alert.firing',
      timestamp: '2026-11-20T12:00:00.000Z',
      data: {
        id: 'msg_0123456789abcdef',
        transition: 'alert.firing',
        severity: 'warning',
        alert: { key: 'bandwidth', level: 2 },
        values: { percent: 91.2 },
      },
    });
    expect(JSON.stringify(event)).not.toMatch(/https?:\/\//);
  });

  it('fail verification with another secret', async () => {
    const { init } = await webhookRequest(HOOK_URL, HOOK_SECRET, notification(), Date.now());
    const other = new Webhook('whsec_' + btoa('another secret of 24 bytes'));
    expect(() => other.verify(init.body as string, init.headers as Record<string, string>)).toThrow();
  });
});

describe('usage bar', () => {
  it.each([
    [0, '░░░░░░░░░░░░░░░░░░░░ 0%'],
    [50, '▓▓▓▓▓▓▓▓▓▓░░░░░░░░░░ 50%'],
    [130, '▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓ 130%'],
  ])('%s%% → %s', (percent, bar) => expect(usageBar(percent)).toBe(bar));
});
