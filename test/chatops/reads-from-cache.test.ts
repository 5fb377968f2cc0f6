/**
 * Chat reads answer from what the cron stored, never from Webshare, and a sub-user made by the admin
 * API, chat-ops or a signup hook shows in chat, on the dashboard and in /v1/status before any tick.
 */
import { describe, expect, it } from 'vitest';
import { GIB_BYTES } from '../../sim';
import { runTick } from '../../src/cycle/tick';
import type { Env } from '../../src/env';
import { RecentSubUsers } from '../../src/storage/recent-subusers';
import { SUITE_BYTES_PER_GB } from '../helpers/wire';
import { PLANS, SIGNUP_SECRET, signupRequest } from '../hooks/helpers';
import {
  SLACK_READER,
  callWorker,
  chatRig,
  commandInteraction,
  discord,
  slack,
  slackDeferred,
  type ChatRig,
} from './helpers';

const ADMIN_TOKEN = 'test-admin-token-0123456789';

function admin(rig: ChatRig, method: string, path: string, json?: unknown): Promise<Response> {
  return callWorker(
    rig.env,
    new Request(`https://worker.test${path}`, {
      method,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    }),
  );
}

async function dashboardHtml(rig: ChatRig): Promise<string> {
  const response = await admin(rig, 'GET', '/');
  expect(response.status).toBe(200);
  return response.text();
}

/** Sub-user list reads at the simulator (GET /api/subuser/ and its pages). */
function subuserListCalls(rig: ChatRig): number {
  return rig.sim.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/subuser')).length;
}

describe('chat reads answer from the stored state', () => {
  it('20 concurrent `subusers` commands make no Webshare request at all', async () => {
    const rig = await chatRig();
    for (let i = 1; i <= 3; i++) await rig.webshare.createSubUser({ label: `customer-${i}`, proxy_limit: i });
    await rig.tick();
    const before = rig.sim.requests.length;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? slack(rig, 'subusers', { user: SLACK_READER })
          : discord(rig, commandInteraction(['subusers'])),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.raw).toContain('Sub-users (3)');
    }
    expect(rig.sim.requests.length - before).toBe(0);
    // Nothing was deferred: every answer was inline.
    expect(rig.slack.requests).toHaveLength(0);
    expect(rig.discord.requests).toHaveLength(0);
  });

  it('`usage <label>` of a busy sub-user answers from the last tick, saying how old it is', async () => {
    const rig = await chatRig();
    const user = await rig.webshare.createSubUser({ label: 'heavy', proxy_limit: 10 });
    rig.sim.control.setSubUserUsage(user.id, 9.5 * GIB_BYTES);
    await rig.tick();
    // Webshare's figure moves on; the answer is the stored one until the next refresh.
    rig.sim.control.setSubUserUsage(user.id, 1 * GIB_BYTES);
    const before = rig.sim.requests.length;
    const { body } = await slack(rig, 'usage heavy');
    expect(body!.text).toContain('Bandwidth: 9.5 GB of 10 GB');
    expect(body!.text).toMatch(/As of .* \(just now\); refreshed every 15 minutes\./);
    expect(rig.sim.requests.length).toBe(before);
  });

  it('says there is no sub-user list yet before the first tick, without calling Webshare', async () => {
    const rig = await chatRig();
    const { body } = await slack(rig, 'subusers');
    expect(body!.text).toContain('No sub-user list yet');
    expect(rig.sim.requests).toHaveLength(0);
  });
});

describe('a sub-user created since the last refresh shows at once', () => {
  it('from the admin API: in the next `subusers` reply, on the dashboard and in /v1/status, without a tick', async () => {
    const rig = await chatRig();
    await rig.webshare.createSubUser({ label: 'old-customer', proxy_limit: 1 });
    await rig.tick();
    const listsBefore = subuserListCalls(rig);

    const created = await admin(rig, 'POST', '/v1/subusers', { label: 'fresh-customer', proxy_limit: 3 });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };

    const { body } = await slack(rig, 'subusers');
    expect(body!.text).toContain('Sub-users (2)');
    expect(body!.text).toContain(`\`${id}\` \`fresh-customer\` — 0 B of 3 GB`);
    expect(body!.text).toContain('1 created since then');
    expect((await slack(rig, 'status')).body!.text).toContain('Sub-users: 2');
    expect(await dashboardHtml(rig)).toContain('fresh-customer');
    const status = (await (await admin(rig, 'GET', '/v1/status')).json()) as {
      subusers: { id: number; label: string }[];
    };
    expect(status.subusers.map((s) => s.label)).toEqual(['old-customer', 'fresh-customer']);
    expect(subuserListCalls(rig)).toBe(listsBefore);
    // Its limit is recorded in the dialect's GB, as the next sub-user refresh will record it.
    const recent = await new RecentSubUsers(rig.env.STATE).read(Date.now());
    expect(recent.created.map((c) => c.subuser)).toEqual([
      expect.objectContaining({ id, proxy_limit_gb: 3, proxy_limit_bytes: 3 * SUITE_BYTES_PER_GB }),
    ]);
  });

  it('from the admin API: a deleted sub-user disappears from every reader at once', async () => {
    const rig = await chatRig();
    const gone = await rig.webshare.createSubUser({ label: 'leaving-customer', proxy_limit: 1 });
    await rig.webshare.createSubUser({ label: 'staying-customer', proxy_limit: 1 });
    await rig.tick();
    expect((await admin(rig, 'DELETE', `/v1/subusers/${gone.id}`)).status).toBe(204);
    const { body } = await slack(rig, 'subusers');
    expect(body!.text).toContain('Sub-users (1)');
    expect(body!.text).not.toContain('leaving-customer');
    expect(await dashboardHtml(rig)).not.toContain('leaving-customer');
  });

  it('from chat-ops: `subuser create` then `subusers` lists it; `usage` finds it by label', async () => {
    const rig = await chatRig();
    await rig.tick();
    await slack(rig, 'subuser create chat-made 2');
    expect(slackDeferred(rig).text).toContain('Created sub-user `chat-made`');
    const { body } = await slack(rig, 'subusers', { user: SLACK_READER });
    expect(body!.text).toMatch(/`\d+` `chat-made` — 0 B of 2 GB/);
    const usage = await slack(rig, 'usage chat-made', { user: SLACK_READER });
    expect(usage.body!.text).toContain('Bandwidth: 0 B of 2 GB');
  });

  it('from a signup hook: the provisioned sub-user is listed before the next tick', async () => {
    const rig = await chatRig({ SIGNUP_WEBHOOK_SECRET: SIGNUP_SECRET, PLANS } as Partial<Env>);
    await rig.tick();
    const customer = `cus_${crypto.randomUUID().replaceAll('-', '').slice(0, 14)}`;
    const hook = await callWorker(
      rig.env,
      signupRequest('customer.created', { customer_id: customer, plan: 'starter' }),
    );
    expect(hook.status).toBe(200);
    const { body } = await slack(rig, 'subusers');
    expect(body!.text).toContain('Sub-users (1)');
    expect(body!.text).toContain(customer);
    expect(await dashboardHtml(rig)).toContain(customer);
  });

  it('the next full refresh takes over: the sub-user is listed once, with Webshare’s figures', async () => {
    const rig = await chatRig();
    // The last refresh ran 16 minutes ago, so the next tick starts a new one (every 15 minutes).
    const earlier = Date.now() - 16 * 60_000;
    await runTick({ env: rig.env, scheduledTime: earlier, nowMs: earlier });
    const created = await admin(rig, 'POST', '/v1/subusers', { label: 'grows', proxy_limit: 10 });
    const { id } = (await created.json()) as { id: number };
    rig.sim.control.setSubUserUsage(id, 5 * GIB_BYTES);
    expect((await slack(rig, 'subusers')).body!.text).toContain('1 created since then');
    await rig.tick();
    const { body } = await slack(rig, 'subusers');
    expect(body!.text).toContain('Sub-users (1)');
    expect(body!.text).toContain('5 GB of 10 GB');
    expect(body!.text).not.toContain('created since then');
  });
});
