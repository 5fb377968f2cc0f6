/**
 * Escaping for the two chat markups, and markers for text that did not come from this code.
 *
 * Labels, Webshare's messages and anything a user typed may hold markup: `<!channel>`, `@everyone`,
 * a masked link `[login](http://evil)`, backticks that end a code span. Each platform gets one
 * escaper here; the notifiers escape whole texts with them, and chat-ops replies (which mix their own
 * code spans with such text) wrap the foreign parts in `untrusted()` so the renderers escape exactly
 * those. Pure.
 */

/** Private-use characters: never in a label worth keeping, and stripped from marked text itself. */
const UNTRUSTED_START = '\uE000';
const UNTRUSTED_END = '\uE001';
const MARKERS = /[\uE000\uE001]/g;

/** Marks text from outside (a label, a Webshare message, user input) for the renderer to escape. */
export function untrusted(text: string): string {
  return `${UNTRUSTED_START}${text.replace(MARKERS, '')}${UNTRUSTED_END}`;
}

/**
 * Splits marked text into our own parts and the untrusted ones, in order. A start marker whose end
 * was cut off (truncation) marks everything after it untrusted: escaping too much is the safe side.
 */
export function splitUntrusted(text: string): { text: string; untrusted: boolean }[] {
  const parts: { text: string; untrusted: boolean }[] = [];
  let current = '';
  let inside = false;
  const flush = () => {
    if (current !== '') parts.push({ text: current, untrusted: inside });
    current = '';
  };
  for (const char of text) {
    if (char === UNTRUSTED_START || char === UNTRUSTED_END) {
      flush();
      inside = char === UNTRUSTED_START;
    } else current += char;
  }
  flush();
  return parts;
}

/** Characters that mean nothing inside a code span on either platform (and cannot end one). */
const PLAIN_LITERAL = /^[\w.:@/+=-]{1,256}$/;

/**
 * For chat replies: a label, address or credential as a code span when it is plain (the usual case,
 * easy to copy), and as untrusted text, escaped by the renderer, otherwise.
 */
export function literal(text: string): string {
  return PLAIN_LITERAL.test(text) ? `\`${text}\`` : untrusted(text);
}

/** The text without markers, for plain-text places (Slack headers, logs). */
export function withoutMarkers(text: string): string {
  return text.replace(MARKERS, '');
}

/** U+2060 WORD JOINER: invisible, and stops `@here` from reading as a mention. */
const WORD_JOINER = '\u2060';
/** U+02CB MODIFIER LETTER GRAVE ACCENT: looks like a backtick, opens no code span. */
const GRAVE_LOOKALIKE = 'ˋ';
const BROADCAST_MENTION = /@(here|channel|everyone)\b/gi;

/**
 * Slack mrkdwn: `&`, `<` and `>` as entities (so `<!channel>`, `<@U…>` and `<http://x|y>` stay text),
 * `@here`/`@channel`/`@everyone` broken with a word joiner (clients that auto-parse them), and
 * backticks replaced by a look-alike, since mrkdwn has no escape and a stray one would swallow the
 * text up to the next code span. Pair with `verbatim: true` on the text object.
 */
export function escapeSlackMrkdwn(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(BROADCAST_MENTION, `@${WORD_JOINER}$1`)
    .replaceAll('`', GRAVE_LOOKALIKE);
}

/** Markup anywhere in a line: emphasis, strike, code, spoilers, masked links, mentions and `\` itself. */
const DISCORD_INLINE = /[\\*_~`|[\]()<]/g;
/** Markup only at the start of a line: quotes, headings (and `-#` subtext), lists. */
const DISCORD_LINE_START = /^(\s*)([>#-])/gm;
/** `1. item`: the dot is what makes the list, and only punctuation can be backslash-escaped. */
const DISCORD_NUMBERED_ITEM = /^(\s*\d+)\./gm;

/**
 * Discord markdown: every markup character backslash-escaped — bold, italics, strike, code, spoilers,
 * masked links, mentions anywhere; quotes, headings and lists where they mean something, at the start
 * of a line — and `@everyone`/`@here` broken with a word joiner. Messages must still send
 * `allowed_mentions: { parse: [] }`: that, not this, is what stops a ping.
 */
export function escapeDiscordMarkdown(text: string): string {
  return text
    .replace(DISCORD_INLINE, '\\$&')
    .replace(DISCORD_LINE_START, (_match, space: string, mark: string) => `${space}\\${mark}`)
    .replace(DISCORD_NUMBERED_ITEM, '$1\\.')
    .replace(BROADCAST_MENTION, `@${WORD_JOINER}$1`);
}

/** Slack mrkdwn of marked text: our parts keep their code spans (entities only), untrusted parts are fully escaped. */
export function renderSlackMarked(text: string): string {
  return splitUntrusted(text)
    .map((part) =>
      part.untrusted
        ? escapeSlackMrkdwn(part.text)
        : part.text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
    )
    .join('');
}

/** Discord markdown of marked text: our parts as written, untrusted parts fully escaped. */
export function renderDiscordMarked(text: string): string {
  return splitUntrusted(text)
    .map((part) => (part.untrusted ? escapeDiscordMarkdown(part.text) : part.text))
    .join('');
}
