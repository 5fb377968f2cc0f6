/**
 * Issue 15's acceptance test for the account's rate gate: a cron tick on a large account (its sweep
 * alone wants far more than 60 list pages) plus 50 concurrent admin reads that call Webshare and chat
 * reads, all through the real worker, measured at the simulator. The simulator follows the wall clock
 * (as every caller and the gate do), so its request times are the times Webshare would see.
 */
import { SELF, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../sim';
import { runTick } from '../../src/cycle/tick';
import type { Env } from '../../src/env';
import { WebshareClient } from '../../src/webshare/v1/client';
import { rateGateOf } from '../../src/webshare/rate-gate';
import { RATE_LIMITS_PER_MINUTE, RATE_WINDOW_MS } from '../../src/webshare/rate-limits';
import { RateSlots } from '../../src/webshare/rate-slots';
import { SLACK_ADMIN, SLACK_SECRET, callWorker, slackRequest } from '../chatops/helpers';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const API_KEY = 'test-api-key-9f8e7d6c';
const testEnv = env as unknown as Env;

/** The most requests of `bucket` the simulator saw in any 60-second window. */
function busiestWindow(sim: Simulator, bucket: 'general' | 'proxyList'): number {
  const times = sim.requests.filter((r) => r.bucket === bucket).map((r) => r.time);
  return Math.max(0, ...times.map((t) => times.filter((u) => u > t - RATE_WINDOW_MS && u <= t).length));
}

function admin(path: string): Promise<Response> {
  return SELF.fetch(`https://worker.test${path}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
}

describe('one rate gate for the account', () => {
  it('keeps a cron tick plus 50 concurrent admin and chat reads under every documented limit, with no 429 from Webshare', async () => {
    const sim = createSimulator({ now: Date.now, proxyCount: 10_000, pageSize: 25 });
    routeOutbound({ 'webshare.sim': sim.fetch, 'hooks.slack.test': new RecordingSink().fetch });
    // Sub-users to read as; made through the gate too, so its window knows every request.
    const setup = new WebshareClient({
      apiKey: API_KEY,
      baseUrl: 'https://webshare.sim',
      slots: new RateSlots(rateGateOf(testEnv.RATE_GATE)!),
    });
    const ids: number[] = [];
    for (let i = 1; i <= 3; i++)
      ids.push((await setup.createSubUser({ label: `c-${i}`, proxy_limit: 1 })).id);

    const tickEnv: Env = {
      ...testEnv,
      // A paid plan's budget: this tick alone would read 150+ list pages in its minute (v1's paged
      // sweep; v2's filtered one reads a handful).
      SUBREQUEST_BUDGET: '200',
      WEBSHARE_API_VERSION: 'v1',
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_ALLOWED_USERS: SLACK_ADMIN,
      SLACK_RESPONSE_URL_HOSTS: 'hooks.slack.test',
    };
    const nowMs = Date.now();
    const reads = [
      ...Array.from({ length: 30 }, (_, i) =>
        admin(`/v1/subusers/${ids[i % 3]}/proxies?page=${1 + (i % 4)}`),
      ),
      ...Array.from({ length: 10 }, () => admin('/v1/replacement-info')),
      ...Array.from({ length: 10 }, () => admin('/v1/subusers')),
    ];
    const chats = ['status', 'subusers', 'alerts', 'usage c-1'].map(async (text) =>
      callWorker(tickEnv, await slackRequest(text)),
    );
    const [report, answers, chatAnswers] = await Promise.all([
      runTick({ env: tickEnv, scheduledTime: nowMs, nowMs }),
      Promise.all(reads),
      Promise.all(chats),
    ]);

    expect(busiestWindow(sim, 'proxyList')).toBeLessThanOrEqual(RATE_LIMITS_PER_MINUTE.proxyList);
    expect(busiestWindow(sim, 'general')).toBeLessThanOrEqual(RATE_LIMITS_PER_MINUTE.general);
    expect(sim.requests.filter((r) => r.status === 429)).toEqual([]);

    // The list window is full: the tick (which alone wants 150+ pages) and the admin reads shared
    // exactly its 60 slots, whoever asked first. An admin read that got none was told when to come
    // back (our 429 with Retry-After, never Webshare's); the tick carries its sweep to the next tick.
    expect(sim.requests.filter((r) => r.bucket === 'proxyList').length).toBe(
      RATE_LIMITS_PER_MINUTE.proxyList,
    );
    const refused = answers.filter((a) => a.status === 429);
    for (const answer of answers) expect([200, 429]).toContain(answer.status);
    for (const answer of refused) {
      expect(Number(answer.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('webshare_rate_limited');
    }
    for (const answer of chatAnswers) expect(answer.status).toBe(200);

    expect(report.tick.status).toBe('done');
    if (report.tick.status !== 'done') return;
    expect(report.tick.budget.used).toBeLessThanOrEqual(200);
    expect(report.tick.snapshot.errors.filter((e) => e.source !== 'proxy_list')).toEqual([]);
  });
});
