/**
 * Chat-ops commands that call Webshare, end to end on each dialect (Slack transport, the simulator
 * speaking only that dialect): subuser create (then usage and subusers read it from the stored
 * state), refresh, replace (started and announced later on
 * v2), subuser create (credentials in the private reply) and subuser delete.
 */
import { describe, expect, it } from 'vitest';
import { chatRig, slack, slackDeferred } from './helpers';

describe.each(['v1', 'v2'] as const)('chat-ops on %s', (dialect) => {
  async function rig() {
    const r = await chatRig({ WEBSHARE_API_VERSION: dialect });
    r.sim.state.options.apiVersion = dialect;
    return r;
  }

  it('subuser create answers privately with the credentials, and usage/subusers show it', async () => {
    const r = await rig();
    await slack(r, 'subuser create customer-9 4 200');
    const [created] = [...r.sim.state.subUsers.values()];
    expect(created).toMatchObject({ label: 'customer-9', proxy_limit: 4, max_thread_count: 200 });
    const answer = slackDeferred(r);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain(created!.proxy_username);
    expect(answer.text).toContain(created!.proxy_password);

    // Reads answer at once from the stored state, where a sub-user made by chat-ops is recorded.
    const usage = await slack(r, `usage ${created!.id}`);
    expect(JSON.stringify(usage.body)).toContain('customer-9');
    const listed = await slack(r, 'subusers');
    expect(JSON.stringify(listed.body)).toContain('customer-9');
  });

  it('refresh confirm refreshes and reports the refreshes left', async () => {
    const r = await rig();
    await slack(r, 'refresh confirm');
    expect(r.sim.state.quotas.ondemandUsed).toBe(1);
    expect(slackDeferred(r).text).toContain(
      `On-demand refreshes left: ${r.sim.state.quotas.ondemandTotal - 1}`,
    );
  });

  it('replace <ip> replaces it (v1) or starts it and announces the new address after a tick (v2)', async () => {
    const r = await rig();
    const address = r.sim.state.proxies.address(0);
    await slack(r, `replace ${address}`);
    const text = slackDeferred(r).text as string;
    if (dialect === 'v1') {
      expect(text).toContain(`Replacement requested for \`${address}/32\``);
      expect(r.sim.state.proxies.address(0)).not.toBe(address);
      return;
    }
    expect(text).toContain(`Replacement started for \`${address}/32\``);
    expect(text).toMatch(/replacement \d+, validating/);
    await r.tick();
    expect(r.sim.state.proxies.address(0)).not.toBe(address);
    const record = (await r.env.STATE.list({ prefix: 'replacement:v2:' })).keys;
    expect(record).toHaveLength(0);
  });

  it('subuser delete … confirm deletes it', async () => {
    const r = await rig();
    await slack(r, 'subuser create leaving 1');
    const [created] = [...r.sim.state.subUsers.values()];
    await slack(r, `subuser delete ${created!.id} confirm`);
    expect(r.sim.state.subUsers.size).toBe(0);
  });
});
