/**
 * The proxy access notices (password reset, authorised IPs) are the audit trail of those changes, so
 * none may be lost to a tick that runs at the same time. Only a tick writes `alerts:outbox`, under the
 * poll lease; the admin API hands what Slack did not take to the next tick, as the signup hooks do.
 * The overlap is made exact: the Slack sink itself starts the other side while the first is in flight.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../sim';
import { loadConfig } from '../../src/config';
import { notifyOutsideTick } from '../../src/cycle/hand-over';
import { runTick } from '../../src/cycle/tick';
import type { Env } from '../../src/env';
import { createLogger } from '../../src/lib/log';
import type { Notification } from '../../src/model/notification';
import { routeOutbound } from '../helpers/outbound';
import { FIVE_MINUTES_MS, START_MS } from '../poller/helpers';
import { testEnv } from './helpers';
import { createApp } from '../../src/app';

const SLACK_URL = 'https://slack.sink/services/T1/B1/token';
const env: Env = { ...testEnv, SLACK_WEBHOOK_URL: SLACK_URL } as Env;

let sim: Simulator;
/** Slack's answers: down (503) until a test brings it back. */
let slackUp: boolean;
/** Bodies Slack accepted. */
let delivered: string[];
/** Runs once, inside the next request Slack receives (while its sender is in flight). */
let duringNextSlackRequest: (() => Promise<unknown>) | null;

beforeEach(() => {
  sim = createSimulator();
  slackUp = false;
  delivered = [];
  duringNextSlackRequest = null;
  routeOutbound({
    'webshare.sim': sim.fetch,
    'slack.sink': async (request) => {
      const body = await request.text();
      const during = duringNextSlackRequest;
      duringNextSlackRequest = null;
      if (during) await during();
      if (!slackUp) return new Response('down', { status: 503 });
      delivered.push(body);
      return new Response('ok');
    },
  });
});

async function admin(path: string, method: string, json?: unknown): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().request(
    `https://worker.test${path}`,
    {
      method,
      headers: {
        Authorization: 'Bearer test-admin-token-0123456789',
        'Content-Type': 'application/json',
        'Idempotency-Key': `reset-${crypto.randomUUID()}`,
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    },
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const tick = (atMs: number) => runTick({ env, scheduledTime: atMs, nowMs: atMs });

/** Slack back up; the next ticks retry what is queued. */
async function recover(fromMs: number): Promise<void> {
  slackUp = true;
  for (let i = 1; i <= 4; i++) await tick(fromMs + i * 3 * FIVE_MINUTES_MS);
}

const deliveredTitles = (title: string) => delivered.filter((body) => body.includes(title)).length;

describe('proxy access notices and a tick in flight', () => {
  it('a notice sent while a tick holds the lease and Slack is down is delivered by a later tick', async () => {
    // A reset with Slack down: queued for the ticks.
    const reset = await admin('/v1/proxy-config/reset-password', 'POST', {});
    expect(reset.status).toBe(200);
    expect(((await reset.json()) as { announced: unknown }).announced).toEqual([
      { channel: 'slack', outcome: 'queued' },
    ]);

    // The next tick retries it; while it does, an admin changes the authorised IPs.
    let change: Response | undefined;
    duringNextSlackRequest = async () => {
      change = await admin('/v1/proxy-config', 'PATCH', { authorized_ips: ['203.0.113.9'] });
    };
    await tick(START_MS);
    expect(change?.status).toBe(200);

    await recover(START_MS);
    expect(deliveredTitles('Proxy password reset')).toBe(1);
    expect(deliveredTitles('Authorised IPs changed')).toBe(1);
  });

  it('the admin call does not drop what a tick queued while the call was in flight', async () => {
    // A message handed to the ticks from outside one (a sub-user announcement, Slack down).
    const config = await loadConfig(env);
    const handedOver: Notification = {
      id: 'msg_handed_over_earlier',
      event: 'message',
      severity: 'info',
      title: 'Handed over earlier',
      summary: 'A message a tick adopts into the outbox.',
      fields: [],
      occurred_at: new Date(START_MS).toISOString(),
    };
    await notifyOutsideTick(env, config, [handedOver], createLogger({}), START_MS);

    // While the admin call's own Slack attempt is in flight, a tick adopts that message.
    duringNextSlackRequest = () => tick(START_MS + FIVE_MINUTES_MS);
    const change = await admin('/v1/proxy-config', 'PATCH', { authorized_ips: ['203.0.113.9'] });
    expect(change.status).toBe(200);

    await recover(START_MS + FIVE_MINUTES_MS);
    expect(deliveredTitles('Handed over earlier')).toBe(1);
    expect(deliveredTitles('Authorised IPs changed')).toBe(1);
  });
});
