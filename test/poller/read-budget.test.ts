/**
 * KV reads are the Free plan's daily budget (100,000): no admin, dashboard or /metrics request may
 * read more than 40 keys, whatever its query. A far-future `until` once walked 744 empty hours (745
 * reads) and answered nothing: 135 such requests with the read-only token spent the day's reads.
 */
import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { runTick } from '../../src/cycle/tick';
import type { Env } from '../../src/env';
import { countingKv } from '../alerts/harness';
import { MS_PER_DAY, MS_PER_HOUR, nextUtcTimeOfDay, setNow } from '../helpers/clock';
import { FIVE_MINUTES_MS, START_MS, pollerRig, type PollerRig } from './helpers';

const MAX_READS_PER_REQUEST = 40;
const READ_TOKEN = 'read-only-token-budget-0123456789';
const READER = { Authorization: `Bearer ${READ_TOKEN}` };
const DAYS = 36;
/** The tick finds the state up to 72 hours back: ticks three days apart keep one history going. */
const DAYS_BETWEEN_TICKS = 3;

/**
 * A tick every third day at 23:30 UTC for five weeks, then one at 10:00: sparse history reaching past
 * retention, so a walk of its hours finds few buckets and many empty hours.
 */
async function fiveSparseWeeks(): Promise<{ rig: PollerRig; times: number[]; nowMs: number }> {
  const rig = pollerRig({ proxyCount: 20 }, { ADMIN_READ_TOKEN: READ_TOKEN });
  const day0 = nextUtcTimeOfDay(0);
  const times = [
    ...Array.from(
      { length: DAYS / DAYS_BETWEEN_TICKS },
      (_, i) => day0 + i * DAYS_BETWEEN_TICKS * MS_PER_DAY + 23.5 * MS_PER_HOUR,
    ),
    day0 + DAYS * MS_PER_DAY + 10 * MS_PER_HOUR,
  ];
  for (const [i, time] of times.entries()) {
    rig.sim.control.setBandwidth({ usedBytes: (i + 1) * 1024 ** 3, limitBytes: 100 * 1024 ** 3 });
    rig.clock.now = time;
    await runTick({ env: rig.env, scheduledTime: time, nowMs: time });
  }
  const nowMs = times.at(-1)! + 60_000;
  setNow(nowMs);
  return { rig, times, nowMs };
}

async function counted(path: string, headers: Record<string, string> = READER) {
  const kv = countingKv((env as unknown as Env).STATE);
  const response = await createApp().request(
    `https://worker.test${path}`,
    { headers },
    { ...(env as unknown as Env), ADMIN_READ_TOKEN: READ_TOKEN, STATE: kv.kv },
    createExecutionContext(),
  );
  const text = await response.text();
  return { status: response.status, reads: kv.reads(), text };
}

const FAR_FUTURE_MS = 9_999_999_999_999;
const SNAPSHOT_QUERIES = [
  '',
  `until=${FAR_FUTURE_MS}`,
  'until=2999-12-31T00:00:00Z',
  `since=0&until=${FAR_FUTURE_MS}&limit=500`,
  'since=1970-01-01T00:00:00Z&limit=500',
  'limit=1',
  'limit=500',
  'since=0&until=1000',
  `since=${FAR_FUTURE_MS - 1}&until=${FAR_FUTURE_MS}`,
  'resolution=1h&since=0&limit=500',
  `resolution=1h&until=${FAR_FUTURE_MS}&limit=500`,
  'resolution=1h&limit=1',
  'resolution=1d&since=0&limit=500',
];

describe('KV reads per request', () => {
  it('GET /v1/snapshots reads at most 40 keys, whatever the range, limit or resolution', async () => {
    await fiveSparseWeeks();
    const over: string[] = [];
    for (const query of SNAPSHOT_QUERIES) {
      const { status, reads } = await counted(`/v1/snapshots?${query}`);
      expect(status, query).toBe(200);
      if (reads > MAX_READS_PER_REQUEST) over.push(`?${query}: ${reads} reads`);
    }
    expect(over).toEqual([]);
  }, 60_000);

  it('answers the snapshots that exist for a far-future until, and pages through the whole range', async () => {
    const { times, nowMs } = await fiveSparseWeeks();
    const retained = times.filter((t) => t >= nowMs - 30 * MS_PER_DAY).reverse();
    const first = await counted(`/v1/snapshots?until=${FAR_FUTURE_MS}&limit=500`);
    const page = JSON.parse(first.text) as { count: number; snapshots: { scheduled_time: number }[] };
    expect(page.count).toBeGreaterThan(0);
    expect(page.snapshots[0]!.scheduled_time).toBe(times.at(-1));

    const seen: number[] = [];
    let until: string | null = `${FAR_FUTURE_MS}`;
    for (let pages = 0; until !== null; pages++) {
      expect(pages).toBeLessThan(40);
      const { reads, text } = await counted(`/v1/snapshots?limit=500&until=${encodeURIComponent(until)}`);
      expect(reads).toBeLessThanOrEqual(MAX_READS_PER_REQUEST);
      const body = JSON.parse(text) as { snapshots: { scheduled_time: number }[]; next_until: string | null };
      seen.push(...body.snapshots.map((s) => s.scheduled_time));
      until = body.next_until;
    }
    expect(seen).toEqual(retained);
  }, 60_000);

  it('pages by the limit too: next_until continues just before the oldest snapshot returned', async () => {
    const rig = pollerRig();
    const times = [0, 1, 2].map((i) => START_MS + i * FIVE_MINUTES_MS);
    for (const time of times) await rig.tick(time);
    setNow(times[2]! + 60_000);
    const { text } = await counted('/v1/snapshots?limit=2');
    const body = JSON.parse(text) as { snapshots: { scheduled_time: number }[]; next_until: string };
    expect(body.snapshots.map((s) => s.scheduled_time)).toEqual([times[2], times[1]]);
    const next = JSON.parse((await counted(`/v1/snapshots?limit=2&until=${body.next_until}`)).text) as {
      snapshots: { scheduled_time: number }[];
      next_until: string | null;
    };
    expect(next.snapshots.map((s) => s.scheduled_time)).toEqual([times[0]]);
    expect(next.next_until).toBeNull();
  });

  it('keeps every GET of the admin API, the dashboard and /metrics at 40 reads, whatever the query', async () => {
    const { rig } = await fiveSparseWeeks();
    const created = await rig.sim.fetch(
      new Request('https://webshare.sim/api/subuser/', {
        method: 'POST',
        headers: { Authorization: 'Token test-api-key-9f8e7d6c', 'Content-Type': 'application/json' },
        body: JSON.stringify({ label: 'budget', proxy_limit: 1 }),
      }),
    );
    const { id } = (await created.json()) as { id: number };
    const paths = [
      '/healthz',
      '/metrics',
      '/dashboard',
      '/',
      '/v1/status',
      '/v1/snapshots',
      '/v1/subscription',
      '/v1/proxy-config',
      '/v1/replacement-info',
      '/v1/replacements',
      '/v1/subusers',
      `/v1/subusers/${id}`,
      `/v1/subusers/${id}/stats`,
      `/v1/subusers/${id}/proxy-config`,
      `/v1/subusers/${id}/proxies`,
      '/v1/silences',
    ];
    const queries = [
      '',
      `?since=0&until=${FAR_FUTURE_MS}&limit=500`,
      '?resolution=1h&since=0&limit=500',
      '?limit=1&until=1000',
      '?page=999999&countries=US,DE,FR',
    ];
    const over: string[] = [];
    for (const path of paths) {
      for (const query of queries) {
        const { reads } = await counted(`${path}${query}`);
        if (reads > MAX_READS_PER_REQUEST) over.push(`${path}${query}: ${reads} reads`);
      }
    }
    expect(over).toEqual([]);
  }, 120_000);
});
