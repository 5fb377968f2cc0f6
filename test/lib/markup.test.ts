import { describe, expect, it } from 'vitest';
import {
  escapeDiscordMarkdown,
  escapeSlackMrkdwn,
  literal,
  renderDiscordMarked,
  renderSlackMarked,
  splitUntrusted,
  untrusted,
  withoutMarkers,
} from '../../src/lib/markup';

const WJ = '\u2060';

describe('escapeSlackMrkdwn', () => {
  it.each([
    ['plain text', 'customer-1042', 'customer-1042'],
    ['a broadcast mention', '<!channel>', '&lt;!channel&gt;'],
    ['a user mention', '<@U012AB3CD>', '&lt;@U012AB3CD&gt;'],
    ['a Slack link', '<http://evil.example|login>', '&lt;http://evil.example|login&gt;'],
    ['an ampersand entity', 'a &lt; b & c', 'a &amp;lt; b &amp; c'],
    ['@here', 'hi @here', `hi @${WJ}here`],
    ['@channel in caps', '@CHANNEL now', `@${WJ}CHANNEL now`],
    ['@everyone', '@everyone', `@${WJ}everyone`],
    ['backticks', 'a`b`c', 'aˋbˋc'],
    ['a masked link (no meaning in Slack)', '[x](http://evil)', '[x](http://evil)'],
  ])('escapes %s', (_name, input, expected) => {
    expect(escapeSlackMrkdwn(input)).toBe(expected);
  });
});

describe('escapeDiscordMarkdown', () => {
  it.each([
    ['plain text', 'customer 1042', 'customer 1042'],
    ['a masked link', '[x](http://evil)', '\\[x\\]\\(http://evil\\)'],
    ['bold and italics', '**a** _b_', '\\*\\*a\\*\\* \\_b\\_'],
    ['strike and spoilers', '~~a~~ ||b||', '\\~\\~a\\~\\~ \\|\\|b\\|\\|'],
    ['backticks', 'a`b`', 'a\\`b\\`'],
    ['a code block', '```x```', '\\`\\`\\`x\\`\\`\\`'],
    ['a user mention', '<@123456>', '\\<@123456>'],
    ['@everyone', '@everyone', `@${WJ}everyone`],
    ['@here', 'ping @here', `ping @${WJ}here`],
    ['a quote at the start of a line', '> quoted', '\\> quoted'],
    ['a heading on a later line', 'a\n# big', 'a\n\\# big'],
    ['subtext', '-# small', '\\-# small'],
    ['a list item', '- item', '\\- item'],
    ['a numbered list item', '1. item', '1\\. item'],
    ['a hyphen inside a word', 'sub-user', 'sub-user'],
    ['a backslash', 'a\\*b', 'a\\\\\\*b'],
  ])('escapes %s', (_name, input, expected) => {
    expect(escapeDiscordMarkdown(input)).toBe(expected);
  });
});

describe('untrusted parts of a chat reply', () => {
  it('splits marked text into our parts and the untrusted ones', () => {
    expect(splitUntrusted(`Usage of ${untrusted('`x`')} now`)).toEqual([
      { text: 'Usage of ', untrusted: false },
      { text: '`x`', untrusted: true },
      { text: ' now', untrusted: false },
    ]);
  });

  it('treats everything after a start marker whose end was cut off as untrusted', () => {
    const cut = untrusted('<!channel> **x**').slice(0, 8);
    expect(splitUntrusted(`a ${cut}`)).toEqual([
      { text: 'a ', untrusted: false },
      { text: '<!chann', untrusted: true },
    ]);
  });

  it('strips markers that the untrusted text itself carries', () => {
    expect(withoutMarkers(untrusted('a\uE001<!channel>\uE000b'))).toBe('a<!channel>b');
  });

  it.each([
    ['Slack', renderSlackMarked, 'Deleted `42` ([x](y) ˋ@' + WJ + 'hereˋ &lt;!channel&gt;)'],
    ['Discord', renderDiscordMarked, 'Deleted `42` (\\[x\\]\\(y\\) \\`@' + WJ + 'here\\` \\<!channel>)'],
  ])('%s keeps our code spans and escapes the untrusted part', (_name, render, expected) => {
    expect(render(`Deleted \`42\` (${untrusted('[x](y) `@here` <!channel>')})`)).toBe(expected);
  });

  it.each([
    ['customer-1042', '`customer-1042`'],
    ['203.0.113.7', '`203.0.113.7`'],
    ['user_a@example.com', '`user_a@example.com`'],
  ])('shows the plain literal %s as a code span', (text, expected) => {
    expect(literal(text)).toBe(expected);
  });

  it.each(['a`b', '<!channel>', '[x](http://evil)', 'two words', '@everyone ping'])(
    'shows %s as untrusted text, not inside a code span',
    (text) => {
      expect(literal(text)).toBe(untrusted(text));
    },
  );
});
