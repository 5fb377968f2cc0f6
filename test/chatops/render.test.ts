import { describe, expect, it } from 'vitest';
import { renderDiscord } from '../../src/chatops/render-discord';
import { renderSlack } from '../../src/chatops/render-slack';
import { reply } from '../../src/chatops/reply';
import { embedLength } from '../../src/notifiers/discord';

const many = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ label: `Field ${i}`, value: 'x'.repeat(300) }));

describe('renderSlack', () => {
  it('builds a header, lines, fields, bars and a context, with the whole reply as fallback text', () => {
    const out = renderSlack(
      reply('Usage of `acme`', {
        lines: ['one', 'two'],
        fields: [{ label: 'Bandwidth', value: '1 GB of 2 GB' }],
        bars: [{ label: 'Bandwidth used', percent: 50 }],
        footer: 'as of now',
        tone: 'warning',
        ephemeral: false,
      }),
    );
    expect(out.response_type).toBe('in_channel');
    expect(out.blocks!.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    expect(out.blocks![0]).toMatchObject({ text: { type: 'plain_text', text: '⚠️ Usage of acme' } });
    expect(out.text).toBe(
      'Usage of `acme`\none\ntwo\nBandwidth: 1 GB of 2 GB\nBandwidth used: 50%\nas of now',
    );
  });

  it('puts at most 10 fields in a section and keeps every text within Block Kit limits', () => {
    const out = renderSlack(reply('Big', { fields: many(25), lines: ['y'.repeat(5000)] }));
    const sections = out.blocks!.filter((b) => b.type === 'section' && 'fields' in b);
    expect(sections.map((s) => ('fields' in s ? s.fields.length : 0))).toEqual([10, 10, 5]);
    const text = out.blocks!.find((b) => b.type === 'section' && 'text' in b);
    expect(text && 'text' in text ? text.text.text.length : 0).toBeLessThanOrEqual(3000);
    expect(out.text.length).toBeLessThanOrEqual(3000);
  });

  it('escapes &, < and > so a label cannot mention the channel', () => {
    const out = renderSlack(reply('x', { lines: ['<!channel> & <@U1>'] }));
    expect(JSON.stringify(out)).not.toMatch(/<!channel>|<@U1>/);
  });
});

describe('renderDiscord', () => {
  it('marks private replies with flag 64 and never allows mentions', () => {
    expect(renderDiscord(reply('x', { ephemeral: true }))).toMatchObject({
      flags: 64,
      allowed_mentions: { parse: [] },
    });
    expect(renderDiscord(reply('x', { ephemeral: false })).flags).toBeUndefined();
  });

  it('omits an empty description (Discord rejects one) and draws bars as fields', () => {
    const [embed] = renderDiscord(reply('x', { bars: [{ label: 'Used', percent: 100 }] })).embeds;
    expect(embed).not.toHaveProperty('description');
    expect(embed!.fields).toEqual([{ name: 'Used', value: '`▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓ 100%`', inline: false }]);
  });

  it('stays within Discord’s 25 fields and 6000 characters', () => {
    const [embed] = renderDiscord(reply('Big', { fields: many(40), lines: ['z'.repeat(5000)] })).embeds;
    expect(embed!.fields.length).toBeLessThanOrEqual(25);
    expect(
      embedLength({ ...embed!, description: embed!.description ?? '', timestamp: '' }),
    ).toBeLessThanOrEqual(6000);
  });
});
