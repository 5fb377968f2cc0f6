import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { DEFAULT_DIGEST_CONFIG } from '../../src/config/defaults';
import type { DigestConfig } from '../../src/config/digest';
import { runTick } from '../../src/cycle/tick';
import { dueDigest, isoWeekId } from '../../src/digest/schedule';
import type { Env } from '../../src/env';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { HOOK_SECRET } from '../notifiers/fixtures';
import { pollerRig } from '../poller/helpers';
import { nextUtcWeekday } from '../helpers/clock';

const GIB = 1024 ** 3;
/** A Monday 09:00 UTC ahead of the suite's clock. */
const MONDAY_0900 = nextUtcWeekday(1) + 9 * 3_600_000;
const MINUTE = 60_000;
const DAY_MS = 24 * 60 * MINUTE;
/** The digest's period ids (isoWeekId is checked against fixed dates below). */
const WEEK = isoWeekId(MONDAY_0900);
const NEXT_WEEK = isoWeekId(MONDAY_0900 + 7 * DAY_MS);
const weekly: DigestConfig = { ...DEFAULT_DIGEST_CONFIG, schedule: 'weekly', day: 'monday', hour_utc: 9 };
const daily: DigestConfig = { ...DEFAULT_DIGEST_CONFIG, schedule: 'daily', hour_utc: 7 };

describe('when a digest is due', () => {
  it.each([
    ['weekly, five minutes early', weekly, null, '2026-12-07T08:55:00Z', null],
    ['weekly, at the moment', weekly, null, '2026-12-07T09:00:00Z', '2026-W50'],
    ['weekly, a tick later, already sent', weekly, '2026-W50', '2026-12-07T09:05:00Z', null],
    ['weekly, after a cron outage of 11 hours', weekly, '2026-W49', '2026-12-07T20:00:00Z', '2026-W50'],
    ['weekly, 13 hours late (skipped, not stale)', weekly, '2026-W49', '2026-12-07T22:00:00Z', null],
    [
      'weekly on Sunday 23:00, seen just after midnight',
      { ...weekly, day: 'sunday', hour_utc: 23 } as DigestConfig,
      null,
      '2026-12-14T00:05:00Z',
      '2026-W50',
    ],
    ['daily, at 07:10', daily, '2026-12-06', '2026-12-07T07:10:00Z', '2026-12-07'],
    ['daily, at 06:59', daily, '2026-12-06', '2026-12-07T06:59:00Z', null],
    ['off', DEFAULT_DIGEST_CONFIG, null, '2026-12-07T09:00:00Z', null],
  ])('%s', (_name, config, lastSent, now, expected) => {
    expect(dueDigest(config, lastSent, Date.parse(now))?.id ?? null).toBe(expected);
  });

  it.each([
    ['2026-12-07T09:00:00Z', '2026-W50'],
    ['2027-01-01T00:00:00Z', '2026-W53'],
    ['2025-12-29T00:00:00Z', '2026-W01'],
    ['2021-01-03T23:59:00Z', '2020-W53'],
  ])('names the ISO week of %s %s', (iso, week) => {
    expect(isoWeekId(Date.parse(iso))).toBe(week);
  });
});

describe('the DIGEST variable', () => {
  const parse = (value: unknown) => loadConfig({ ...(env as unknown as Env), DIGEST: value });

  it.each([
    ['unset', undefined, { schedule: 'off' }],
    ['"weekly:mon:09"', 'weekly:mon:09', { schedule: 'weekly', day: 'monday', hour_utc: 9 }],
    ['"weekly:friday:17"', 'weekly:friday:17', { schedule: 'weekly', day: 'friday', hour_utc: 17 }],
    ['"daily:07"', 'daily:07', { schedule: 'daily', hour_utc: 7 }],
    ['a JSON string', '{"schedule":"weekly","day":"tuesday","hour_utc":8}', { day: 'tuesday', hour_utc: 8 }],
    [
      'a TOML table',
      { schedule: 'daily', hour_utc: 6, top_subusers: 3 },
      { schedule: 'daily', top_subusers: 3 },
    ],
  ])('reads %s', async (_name, value, expected) => {
    const config = await parse(value);
    expect(config.problems).toEqual([]);
    expect(config.digest).toMatchObject(expected);
  });

  it.each([
    ['"weekly:funday:09"', 'weekly:funday:09'],
    ['"daily:25"', 'daily:25'],
    ['"monthly"', 'monthly'],
    ['an unknown key', { schedule: 'weekly', hour: 9 }],
    ['an hour out of range', { schedule: 'weekly', hour_utc: 24 }],
  ])('rejects %s, naming DIGEST, and stays off', async (_name, value) => {
    const config = await parse(value);
    expect(config.problems).toEqual([expect.objectContaining({ variable: 'DIGEST' })]);
    expect(config.digest.schedule).toBe('off');
  });
});

function digestRig(extra: Partial<Env> = {}) {
  const slack = new RecordingSink();
  const hook = new RecordingSink();
  const rig = pollerRig(
    { proxyCount: 100 },
    {
      DIGEST: 'weekly:mon:09',
      SLACK_WEBHOOK_URL: 'https://slack.sink/hook',
      ALERT_WEBHOOK_URL: 'https://hook.sink/events',
      ALERT_WEBHOOK_SECRET: HOOK_SECRET,
      PUBLIC_URL: 'https://ops.example.com',
      ...extra,
    },
  );
  routeOutbound({ 'webshare.sim': rig.sim.fetch, 'slack.sink': slack.fetch, 'hook.sink': hook.fetch });
  const tickAt = (ms: number) => {
    rig.clock.now = ms;
    return runTick({ env: rig.env, scheduledTime: ms, nowMs: ms });
  };
  const digests = (sink: RecordingSink) => sink.requests.filter((r) => r.body.includes(`digest ${WEEK}`));
  return { rig, slack, hook, tickAt, digests };
}

describe('the weekly digest', () => {
  it('is sent exactly once per period when ticks overlap, repeat or keep coming', async () => {
    const { rig, slack, hook, tickAt, digests } = digestRig();
    rig.sim.control.setBandwidth({ usedBytes: 20 * GIB, limitBytes: 50 * GIB, projectedBytes: 42 * GIB });
    await tickAt(MONDAY_0900 - 5 * MINUTE);
    expect(digests(slack)).toHaveLength(0);

    // The cron's tick and a manual poll at the due moment, both in flight at once.
    const overlapping = await Promise.all([tickAt(MONDAY_0900), tickAt(MONDAY_0900 + 1_000)]);
    expect(overlapping.map((r) => r.tick.status).sort()).toEqual(['busy', 'done']);
    // The cron retries the same scheduledTime, and later ticks keep coming.
    expect((await tickAt(MONDAY_0900)).tick.status).toBe('duplicate');
    for (let i = 1; i <= 3; i++) await tickAt(MONDAY_0900 + i * 5 * MINUTE);

    expect(digests(slack)).toHaveLength(1);
    expect(digests(hook)).toHaveLength(1);
    expect(hook.requests.find((r) => r.body.includes(`digest ${WEEK}`))!.headers['webhook-id']).toBe(
      `digest:${WEEK}`,
    );
    const event = JSON.parse(digests(hook)[0]!.body) as { data: Record<string, any> };
    expect(event.data.values).toMatchObject({ kind: 'digest', period: WEEK });
    expect(event.data.dashboard_url).toBe('https://ops.example.com/dashboard');
    const fields = (event.data.fields as { label: string; value: string }[]).map((f) => f.label);
    expect(fields).toEqual(
      expect.arrayContaining([
        'Bandwidth used',
        'Projected for the period',
        'Invalid proxies, day by day',
        'Alerts this week',
        'Remediation this week',
      ]),
    );

    // The next week has its own digest.
    const nextMonday = MONDAY_0900 + 7 * 24 * 60 * MINUTE;
    await tickAt(nextMonday);
    expect(slack.requests.filter((r) => r.body.includes(`digest ${NEXT_WEEK}`))).toHaveLength(1);
  });

  it('is retried through the outbox when a channel fails, and still delivered once', async () => {
    const { slack, tickAt, digests } = digestRig();
    slack.respondWith(500, 500, 500);
    await tickAt(MONDAY_0900);
    // Three failed attempts within the tick; the digest waits in the outbox.
    expect(digests(slack)).toHaveLength(3);
    for (let i = 1; i <= 4; i++) await tickAt(MONDAY_0900 + i * 5 * MINUTE);
    // Three failed attempts in the first tick, then one that went through; none after it.
    expect(digests(slack)).toHaveLength(4);
  });

  it('is not sent when DIGEST is not set', async () => {
    const { slack, tickAt } = digestRig({ DIGEST: undefined });
    await tickAt(MONDAY_0900);
    await tickAt(MONDAY_0900 + 5 * MINUTE);
    expect(slack.requests.filter((r) => r.body.includes('digest'))).toHaveLength(0);
  });
});
