import { describe, expect, it } from 'vitest';
import { USAGE, parseDuration, parseText, parseWords } from '../../src/chatops/commands';

describe('parseText', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['status', { kind: 'status' }],
    ['STATUS', { kind: 'status' }],
    ['usage 42', { kind: 'usage', target: { id: 42 } }],
    ['usage customer-1042', { kind: 'usage', target: { label: 'customer-1042' } }],
    ['refresh', { kind: 'refresh', confirmed: false }],
    ['refresh confirm', { kind: 'refresh', confirmed: true }],
    ['replace 203.0.113.7', { kind: 'replace', target: '203.0.113.7' }],
    ['replace 10.0.0.0/24', { kind: 'replace', target: '10.0.0.0/24' }],
    ['subusers', { kind: 'subusers' }],
    ['subuser create acme 10', { kind: 'subuser_create', label: 'acme', limitGb: 10, threads: undefined }],
    ['subuser create acme 2.5GB 500', { kind: 'subuser_create', label: 'acme', limitGb: 2.5, threads: 500 }],
    ['subuser create acme 0', { kind: 'subuser_create', label: 'acme', limitGb: 0, threads: undefined }],
    ['subuser delete 7', { kind: 'subuser_delete', id: 7, confirmed: false }],
    ['subuser delete 7 confirm', { kind: 'subuser_delete', id: 7, confirmed: true }],
    ['alerts', { kind: 'alerts' }],
    ['silence bandwidth 2h', { kind: 'silence', alert: 'bandwidth', durationMs: 7_200_000, duration: '2h' }],
    ['silence subuser:* 1d', { kind: 'silence', alert: 'subuser:*', durationMs: 86_400_000, duration: '1d' }],
  ])('parses %j', (text, command) => {
    expect(parseText(text)).toEqual({ ok: true, command, inChannel: false });
  });

  it('takes in_channel anywhere as a visibility flag, not an argument', () => {
    expect(parseText('in_channel status')).toEqual({
      ok: true,
      command: { kind: 'status' },
      inChannel: true,
    });
    expect(parseText('usage 42 public')).toEqual({
      ok: true,
      command: { kind: 'usage', target: { id: 42 } },
      inChannel: true,
    });
  });

  it('decodes the entities Slack puts into command text', () => {
    expect(parseText('usage a&amp;b')).toMatchObject({ command: { target: { label: 'a&b' } } });
  });

  it.each([
    ['frobnicate', /Unknown command `frobnicate`/, 'status'],
    ['status now', /takes no arguments/, 'status'],
    ['usage', /needs a sub-user id or label/, 'usage'],
    ['refresh now', /only the word `confirm`/, 'refresh'],
    ['replace', /exactly one IP/, 'replace'],
    ['replace 999.1.1.1', /not an IP address or CIDR range/, 'replace'],
    ['replace 1.2.3.4 5.6.7.8', /exactly one IP/, 'replace'],
    ['subuser', /needs `create` or `delete`/, 'subuser_create'],
    ['subuser create acme', /needs a label and a limit/, 'subuser_create'],
    ['subuser create acme ten', /number of GB/, 'subuser_create'],
    ['subuser create acme -5', /number of GB/, 'subuser_create'],
    ['subuser create acme 10 0', /Threads must be a whole number/, 'subuser_create'],
    ['subuser create acme 10 1.5', /Threads must be a whole number/, 'subuser_create'],
    ['subuser create acme 10 5 extra', /needs a label and a limit/, 'subuser_create'],
    ['subuser delete', /needs a sub-user id/, 'subuser_delete'],
    ['subuser delete abc', /needs a sub-user id/, 'subuser_delete'],
    ['subuser delete 7 yes', /only the word `confirm`/, 'subuser_delete'],
    ['silence bandwidth', /needs an alert key and a duration/, 'silence'],
    ['silence bandwidth forever', /between 1m and 30d/, 'silence'],
    ['silence bandwidth 31d', /between 1m and 30d/, 'silence'],
    ['silence <!channel> 1h', /is not an alert key/, 'silence'],
  ] as const)('rejects %j with a usage line', (text, error, kind) => {
    const result = parseText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(error);
    expect(result.usage).toContain(USAGE[kind]);
  });

  it('lists every command after an unknown one', () => {
    const result = parseText('nope');
    expect(result.ok ? [] : result.usage).toEqual(Object.values(USAGE));
  });

  it('bounds the echoed text of an unknown command', () => {
    const result = parseText('x'.repeat(500));
    expect(result.ok ? '' : result.error.length).toBeLessThan(60);
  });
});

describe('parseWords with an explicit visibility (Discord)', () => {
  it('keeps a label that happens to be a flag word', () => {
    expect(parseWords(['subuser', 'create', 'public', '5'], false)).toEqual({
      ok: true,
      command: { kind: 'subuser_create', label: 'public', limitGb: 5, threads: undefined },
      inChannel: false,
    });
  });

  it('keeps a label with spaces as one argument', () => {
    expect(parseWords(['usage', 'Acme Corp'], true)).toEqual({
      ok: true,
      command: { kind: 'usage', target: { label: 'Acme Corp' } },
      inChannel: true,
    });
  });
});

describe('parseDuration', () => {
  it.each([
    ['1m', 60_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['30d', 2_592_000_000],
    ['2H', 7_200_000],
    ['0m', null],
    ['30s', null],
    ['31d', null],
    ['1.5h', null],
    ['h', null],
  ])('%s → %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
