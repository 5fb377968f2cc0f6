/**
 * Notification sinks misbehaving: for each channel (Slack, Discord, the signed webhook) × 429 with
 * Retry-After, 500, timeout, 404 and 410, the real cron handler runs tick after tick against the
 * simulator, real KV and recording sinks. Every notification reaches a recovered channel exactly
 * once, a gone endpoint (404/410) is recorded as undeliverable and never retried, nothing is
 * delivered twice, and the healthy channels are not held up by the failing one.
 */
import { createExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { GIB_BYTES } from '../../sim';
import { createApp } from '../../src/app';
import type { Env } from '../../src/env';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink, type ScriptedResponse } from '../helpers/sink';
import { runTick } from '../../src/cycle/tick';
import { FIVE_MINUTES_MS, pollerRig } from '../poller/helpers';
import { ADMIN_TOKEN, captureConsole, dumpKv, noBackoffJitter } from './helpers';

const CHANNELS = ['slack', 'discord', 'webhook'] as const;
type Channel = (typeof CHANNELS)[number];

const HOSTS: Record<Channel, string> = {
  slack: 'slack.sink',
  discord: 'discord.sink',
  webhook: 'hook.sink',
};
const SLACK_URL = 'https://slack.sink/services/T0001/B0001/slacksecrettoken123';
const DISCORD_URL = 'https://discord.sink/api/webhooks/123/discordsecrettoken456';
const HOOK_URL = 'https://hook.sink/webshare-alerts';
const HOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
/** Short, so a timeout costs the suite 400 ms rather than the default 5 s. */
const DELIVERY_TIMEOUT_MS = 400;
const ATTEMPTS_PER_TICK = 2;
const TICKS = 8;

interface SinkFault {
  name: string;
  script: ScriptedResponse[];
  /** The endpoint is gone: the first notification must be recorded undeliverable, not retried. */
  gone?: boolean;
}

const SINK_FAULTS: SinkFault[] = [
  {
    name: '429 with Retry-After',
    script: [
      {
        status: 429,
        headers: { 'Retry-After': '60', 'Content-Type': 'application/json' },
        body: '{"message":"You are being rate limited.","retry_after":60,"global":false}',
      },
    ],
  },
  // Three: both attempts of the first tick and the first of the next one.
  { name: '500', script: [500, 500, 500] },
  {
    name: 'timeout',
    script: [
      { status: 200, delayMs: DELIVERY_TIMEOUT_MS * 3 },
      { status: 200, delayMs: DELIVERY_TIMEOUT_MS * 3 },
    ],
  },
  { name: '404', script: [{ status: 404, body: 'no_service' }], gone: true },
  { name: '410', script: [{ status: 410, body: 'channel_is_archived' }], gone: true },
];

/** A sink that also knows which of its requests the caller really received a 2xx for. */
class ObservedSink {
  readonly sink = new RecordingSink();
  readonly answered: { key: string; status: number | 'aborted' | 'pending' }[] = [];

  constructor(private readonly channel: Channel) {}

  readonly fetch = async (request: Request): Promise<Response> => {
    const entry: { key: string; status: number | 'aborted' | 'pending' } = {
      key: await this.keyOf(request.clone()),
      status: 'pending',
    };
    this.answered.push(entry);
    request.signal?.addEventListener(
      'abort',
      () => {
        // The timeout signal fires even after a completed answer; only an open request is cut off.
        if (entry.status === 'pending') entry.status = 'aborted';
      },
      { once: true },
    );
    const response = await this.sink.fetch(request);
    // A response after the caller's timeout fired never reached it.
    if (entry.status === 'pending') entry.status = response.status;
    return response;
  };

  /** Which notification a request carries: the webhook's id, or the chat message itself. */
  private async keyOf(request: Request): Promise<string> {
    if (this.channel === 'webhook') return request.headers.get('webhook-id') ?? 'missing webhook-id';
    return request.text();
  }

  /** How many times each notification was received with a 2xx. */
  deliveredCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { key, status } of this.answered) {
      if (typeof status === 'number' && status >= 200 && status < 300)
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }
}

function alertEnv(): Partial<Env> {
  return {
    SLACK_WEBHOOK_URL: SLACK_URL,
    DISCORD_WEBHOOK_URL: DISCORD_URL,
    ALERT_WEBHOOK_URL: HOOK_URL,
    ALERT_WEBHOOK_SECRET: HOOK_SECRET,
    ALERTS: JSON.stringify({
      delivery: { timeout_ms: DELIVERY_TIMEOUT_MS, attempts_per_tick: ATTEMPTS_PER_TICK },
      projection: { enabled: false },
    }),
  };
}

async function status(rigEnv: Env): Promise<Record<string, any>> {
  const response = await createApp().request(
    'https://worker.test/v1/status',
    { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } },
    rigEnv,
    createExecutionContext(),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, any>;
}

const MATRIX = CHANNELS.flatMap((channel) => SINK_FAULTS.map((fault) => ({ channel, ...fault })));

describe('alert delivery when a sink misbehaves', () => {
  const logs = captureConsole();
  noBackoffJitter();

  it.each(MATRIX)(
    '$channel answering $name: delivered exactly once after recovery, never twice',
    async ({ channel, script, gone }) => {
      const rig = pollerRig({ proxyCount: 25, bandwidthLimitBytes: 50 * GIB_BYTES }, alertEnv());
      rig.sim.control.setGrowth({ bytesPerHour: 0, subUserBytesPerHour: 0 });
      const sinks = Object.fromEntries(CHANNELS.map((c) => [c, new ObservedSink(c)])) as Record<
        Channel,
        ObservedSink
      >;
      routeOutbound({
        'webshare.sim': rig.sim.fetch,
        ...Object.fromEntries(CHANNELS.map((c) => [HOSTS[c], sinks[c].fetch])),
      });
      sinks[channel].sink.respondWith(...script);

      // 85% of the plan: one bandwidth alert fires on the first tick and keeps firing.
      rig.sim.control.setBandwidth({ usedBytes: Math.round(0.85 * 50 * GIB_BYTES) });
      // The real cycle (what the cron runs) on a clock that ends now, so /v1/status reads it after.
      const start = Date.now() - (TICKS + 3) * FIVE_MINUTES_MS;
      const tick = async (i: number) => {
        const at = start + i * FIVE_MINUTES_MS;
        rig.clock.now = at;
        await runTick({ env: rig.env, scheduledTime: at, nowMs: at });
      };
      for (let i = 0; i < TICKS; i++) await tick(i);
      // Back under the threshold: the alert resolves, and that message too goes out once.
      rig.sim.control.setBandwidth({ usedBytes: Math.round(0.1 * 50 * GIB_BYTES) });
      for (let i = TICKS; i < TICKS + 3; i++) await tick(i);

      const text = logs.lines.join('\n');
      expect(text).not.toContain('scheduled cycle failed');
      expect(text).not.toContain('alerting failed');

      // Healthy channels: firing and resolved, each exactly once, whatever the faulty one did.
      const others = CHANNELS.filter((c) => c !== channel);
      for (const other of others) {
        const counts = sinks[other].deliveredCounts();
        expect(counts.size, other).toBe(2);
        expect([...counts.values()], other).toEqual([1, 1]);
      }

      const faulty = sinks[channel];
      // The fault really happened: the scripted answers came first (a timed-out one never arrived).
      expect(faulty.answered.slice(0, script.length).map((a) => a.status)).toEqual(
        script.map((r) => (typeof r === 'number' ? r : r.delayMs ? 'aborted' : r.status)),
      );
      const counts = faulty.deliveredCounts();
      expect(
        [...counts.values()].every((n) => n === 1),
        'never twice',
      ).toBe(true);
      const firstKey = faulty.answered[0]!.key;
      if (gone) {
        // The firing message was refused for good: tried once, never again, recorded as undeliverable.
        expect(faulty.answered.filter((a) => a.key === firstKey)).toHaveLength(1);
        expect(counts.has(firstKey)).toBe(false);
        expect(counts.size).toBe(1); // the resolved message: the sink answers 2xx again by then
        const body = await status(rig.env);
        expect(body.alerts.undeliverable).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              channel,
              status: (script[0] as { status: number }).status,
            }),
          ]),
        );
      } else {
        expect(counts.get(firstKey), 'the firing message, once the sink recovered').toBe(1);
        expect(counts.size).toBe(2);
        // The scripted failures, then firing and resolved; more only if a loaded machine timed one out.
        expect(faulty.answered.length).toBeGreaterThanOrEqual(script.length + 2);
        const body = await status(rig.env);
        expect(body.alerts.queued).toBe(0);
        expect(body.alerts.undeliverable).toEqual([]);
      }
      expect(await dumpKv()).not.toContain(HOOK_SECRET);
      expect(text).not.toMatch(/slacksecrettoken123|discordsecrettoken456/);
      expect(text).not.toContain(HOOK_SECRET);
    },
    30_000,
  );
});
