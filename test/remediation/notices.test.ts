import { describe, expect, it } from 'vitest';
import { buildNotices, type NoticeContext } from '../../src/remediation/notices';
import type { RemediationEntry } from '../../src/model/remediation';

const ctx: NoticeContext = {
  mode: 'live',
  day: '2026-12-01',
  nowMs: Date.parse('2026-12-01T10:00:00Z'),
  replacedToday: 3,
  maxPerDay: 10,
  replaceAfterSweeps: 3,
  replacementsLeft: 7,
  notified: [],
};

const replaced: RemediationEntry = {
  action: 'replace',
  target: '198.51.100.5',
  outcome: 'replaced',
  reason: null,
  detail: 'Replaced 198.51.100.5 → 203.0.113.9; 7 replacements left.',
  new_address: '203.0.113.9',
  left: 7,
  attempt: 1,
};
const skip = (target: string, reason: 'reserve' | 'daily_cap'): RemediationEntry => ({
  action: 'replace',
  target,
  outcome: 'skipped',
  reason,
  detail: `Not replacing ${target}: the replacement reserve is reached.`,
});

describe('remediation notices', () => {
  it('says what was replaced, with what, and how many are left', async () => {
    const { notices } = await buildNotices([replaced], ctx);
    expect(notices).toEqual([
      expect.objectContaining({
        event: 'message',
        severity: 'info',
        title: 'Auto-remediation: replaced 198.51.100.5 → 203.0.113.9',
        summary: replaced.detail,
      }),
    ]);
    expect(notices[0]!.fields).toEqual(
      expect.arrayContaining([
        { label: 'New address', value: '203.0.113.9' },
        { label: 'Replaced today', value: '3 of 10' },
        { label: 'Replacements left', value: '7' },
      ]),
    );
  });

  it('gives the same event the same id (receivers dedupe on it) and another event another id', async () => {
    const a = await buildNotices([replaced], ctx);
    const b = await buildNotices([replaced], ctx);
    const failed = await buildNotices([{ ...replaced, outcome: 'failed' }], ctx);
    expect(a.notices[0]!.id).toMatch(/^rem_[0-9a-f]{32}$/);
    expect(b.notices[0]!.id).toBe(a.notices[0]!.id);
    expect(failed.notices[0]!.id).not.toBe(a.notices[0]!.id);
    expect(failed.notices[0]!.severity).toBe('warning');
  });

  it('groups skips per reason and tells each one once a day', async () => {
    const entries = [skip('A', 'reserve'), skip('B', 'reserve'), skip('C', 'daily_cap')];
    const first = await buildNotices(entries, ctx);
    expect(first.notices.map((n) => n.title)).toEqual([
      'Auto-remediation: not replacing 2 proxies (replacement reserve reached)',
      'Auto-remediation: not replacing 1 proxy (daily replacement cap reached)',
    ]);
    expect(first.notices.every((n) => n.severity === 'warning')).toBe(true);

    const again = await buildNotices([...entries, skip('D', 'reserve')], {
      ...ctx,
      notified: first.notified,
    });
    expect(again.notices.map((n) => n.title)).toEqual([
      'Auto-remediation: not replacing 1 proxy (replacement reserve reached)',
    ]);
    expect(again.notices[0]!.fields).toContainEqual({ label: 'Proxies', value: 'D' });
  });
});
