import { describe, expect, it } from 'vitest';
import { GIB_BYTES } from '../../sim';
import { readSilences } from '../../src/alerts/silences';
import {
  API_KEY,
  SLACK_ACK,
  SLACK_ADMIN,
  SLACK_READER,
  chatRig,
  plain,
  slack,
  slackDeferred,
  webshareCalls,
} from './helpers';

describe('POST /chatops/slack: read commands', () => {
  it('status before the first tick says there is no data yet', async () => {
    const rig = await chatRig();
    const { body } = await slack(rig, 'status');
    expect(body!.text).toContain('No data yet');
  });

  it('status answers inline from KV: bandwidth bar, projection, quotas and the firing alert', async () => {
    const rig = await chatRig();
    rig.sim.control.setBandwidth({
      usedBytes: 47.5 * GIB_BYTES,
      limitBytes: 50 * GIB_BYTES,
      projectedBytes: 60 * GIB_BYTES,
    });
    await rig.tick();
    const before = webshareCalls(rig);
    const { status, body } = await slack(rig, 'status');
    expect(status).toBe(200);
    expect(webshareCalls(rig)).toBe(before);
    expect(rig.slack.requests).toHaveLength(0);
    expect(body!.response_type).toBe('ephemeral');
    const blocks = JSON.stringify(body!.blocks);
    expect(blocks).toContain('47.5 GB of 50 GB');
    expect(blocks).toContain('▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓░ 95%');
    expect(blocks).toContain('*Projection*\\n60 GB');
    expect(blocks).toContain('3 of 3 left');
    expect(blocks).toMatch(
      /Firing alerts: 2\\n🟠 Bandwidth at 95% of 50 GB \(`bandwidth`\)\\n🟠 .*\(`projection`\)/,
    );
    expect(body!.text).toContain('Bandwidth used: 95%');
  });

  it('status in_channel is posted to the channel', async () => {
    const rig = await chatRig();
    await rig.tick();
    const { body } = await slack(rig, 'status in_channel', { user: SLACK_READER });
    expect(body!.response_type).toBe('in_channel');
  });

  it('usage <id> answers inline from the last tick, saying how old the figures are', async () => {
    // On v1 a GB is 2^30 bytes both in the limit and in the figure shown. (On v2 the limit's GB is
    // 10^9 bytes while the figure is formatted in 2^30: "1.9 GB of 10 GB" at 20 %, docs/webshare-api.md.)
    const rig = await chatRig({ WEBSHARE_API_VERSION: 'v1' });
    const user = await rig.webshare.createSubUser({ label: 'customer-1042', proxy_limit: 10 });
    rig.sim.control.setSubUserUsage(user.id, 2 * GIB_BYTES);
    await rig.tick();
    const before = webshareCalls(rig);
    const { body } = await slack(rig, `usage ${user.id}`, { user: SLACK_READER });
    expect(webshareCalls(rig)).toBe(before);
    expect(rig.slack.requests).toHaveLength(0);
    expect(body!.response_type).toBe('ephemeral');
    const text = JSON.stringify(body!.blocks);
    expect(text).toContain('customer-1042');
    expect(text).toContain('2 GB of 10 GB');
    expect(text).toContain('▓▓▓▓░░░░░░░░░░░░░░░░ 20%');
    expect(text).toMatch(/As of [A-Z][a-z]{2} \d+ \d\d:\d\d UTC \(just now\)/);
    expect(JSON.stringify(body)).not.toContain(user.proxy_password);
  });

  it('usage <label> finds the sub-user by label', async () => {
    const rig = await chatRig();
    await rig.webshare.createSubUser({ label: 'Acme', proxy_limit: 0 });
    await rig.tick();
    const { body } = await slack(rig, 'usage acme');
    expect(body!.text).toMatch(/^Usage of `Acme` \(sub-user \d+\)\nBandwidth: 0 B of unlimited/);
  });

  it('usage of an unknown sub-user answers with an error, privately', async () => {
    const rig = await chatRig();
    await rig.tick();
    const { body } = await slack(rig, 'usage 999', { user: SLACK_READER });
    expect(body!.response_type).toBe('ephemeral');
    expect(body!.text).toContain('No sub-user 999');
  });

  it('usage without an argument gets the usage line', async () => {
    const rig = await chatRig();
    const { body } = await slack(rig, 'usage');
    expect(plain(body!.text)).toContain('usage <subuser-id|label>');
    expect(webshareCalls(rig)).toBe(0);
  });

  it('subusers lists every sub-user without their passwords', async () => {
    const rig = await chatRig();
    const a = await rig.webshare.createSubUser({ label: 'alpha', proxy_limit: 5 });
    const b = await rig.webshare.createSubUser({ label: 'beta', proxy_limit: 0 });
    await rig.tick();
    const answer = JSON.stringify((await slack(rig, 'subusers', { user: SLACK_READER })).body);
    expect(answer).toContain('Sub-users (2)');
    expect(answer).toMatch(/alpha.*0 B of 5 GB.*beta.*of unlimited/);
    expect(answer).not.toContain(a.proxy_password);
    expect(answer).not.toContain(b.proxy_password);
  });

  it('alerts lists what fires; help lists every command', async () => {
    const rig = await chatRig();
    rig.sim.control.setBandwidth({ usedBytes: 50 * GIB_BYTES, limitBytes: 50 * GIB_BYTES });
    await rig.tick();
    const alerts = await slack(rig, 'alerts', { user: SLACK_READER });
    expect(alerts.body!.text).toMatch(/Firing \(1\):\n🔴 `bandwidth`/);
    const help = await slack(rig, 'help', { user: SLACK_READER });
    for (const word of [
      'status',
      'usage',
      'refresh',
      'replace',
      'subusers',
      'subuser create',
      'subuser delete',
      'alerts',
      'silence',
    ]) {
      expect(help.body!.text).toContain(`${word}`);
    }
  });

  it('an unknown command gets every usage line', async () => {
    const rig = await chatRig();
    const { body } = await slack(rig, 'reboot');
    expect(body!.text).toContain('Unknown command `reboot`');
    expect(plain(body!.text)).toContain('silence <alert> <duration>');
  });

  it('escapes mrkdwn in echoed text so nobody can be pinged', async () => {
    const rig = await chatRig();
    const { body } = await slack(rig, 'silence <!channel> 1h');
    expect(JSON.stringify(body)).not.toContain('<!channel>');
    expect(body!.text).toContain('&lt;!channel&gt;');
  });
});

describe('POST /chatops/slack: mutating commands', () => {
  it('refresh asks for confirmation and spends nothing', async () => {
    const rig = await chatRig();
    await rig.tick();
    const { body } = await slack(rig, 'refresh');
    expect(body!.text).toContain('Run `refresh confirm` to go ahead.');
    expect(body!.text).toContain('3 of 3 on-demand refreshes left');
    expect(webshareCalls(rig, 'POST')).toBe(0);
    expect(rig.sim.state.quotas.ondemandUsed).toBe(0);
  });

  it('refresh confirm refreshes the list and says how many refreshes are left', async () => {
    const rig = await chatRig();
    const { body } = await slack(rig, 'refresh confirm');
    expect(body).toEqual(SLACK_ACK);
    expect(rig.sim.state.quotas.ondemandUsed).toBe(1);
    const answer = slackDeferred(rig);
    expect(answer.text).toContain('Proxy list refresh started');
    expect(answer.text).toContain('On-demand refreshes left: 2 of 3.');
  });

  it('refresh confirm with no refreshes left passes Webshare’s reason on', async () => {
    const rig = await chatRig();
    rig.sim.control.setQuotas({ ondemandAvailable: 0 });
    await slack(rig, 'refresh confirm');
    expect(slackDeferred(rig).text).toContain('You have no on-demand refreshes available.');
  });

  it('replace <ip> replaces that proxy', async () => {
    // v1's synchronous answer; v2's "Replacement started" is in dialects.test.ts.
    const rig = await chatRig({ WEBSHARE_API_VERSION: 'v1' });
    const address = rig.sim.state.proxies.address(0);
    await slack(rig, `replace ${address} in_channel`);
    const answer = slackDeferred(rig);
    expect(answer.response_type).toBe('in_channel');
    expect(answer.text).toContain(`Replacement requested for \`${address}/32\``);
    expect(rig.sim.state.quotas.replacementsUsed).toBe(1);
    expect(rig.sim.state.proxies.address(0)).not.toBe(address);
  });

  it('replace with a bad address gets the usage line and calls nothing', async () => {
    const rig = await chatRig();
    const { body } = await slack(rig, 'replace not-an-ip');
    expect(body!.text).toContain('`not-an-ip` is not an IP address or CIDR range.');
    expect(plain(body!.text)).toContain('replace <ip>');
    expect(webshareCalls(rig)).toBe(0);
  });

  it('subuser create shows the password only in a private reply, even when asked in_channel', async () => {
    const rig = await chatRig();
    await slack(rig, 'subuser create customer-7 25 300 in_channel');
    const created = [...rig.sim.state.subUsers.values()];
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ label: 'customer-7', proxy_limit: 25, max_thread_count: 300 });
    const answer = slackDeferred(rig);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain(created[0]!.proxy_username);
    expect(answer.text).toContain(created[0]!.proxy_password);
    expect(answer.text).toContain('Only you can see this reply');
    expect(JSON.stringify(answer)).not.toContain(API_KEY);
  });

  it('subuser create with bad arguments gets the usage line', async () => {
    const rig = await chatRig();
    const { body } = await slack(rig, 'subuser create customer-7 lots');
    expect(plain(body!.text)).toContain('subuser create <label> <limit-GB> [threads]');
    expect(rig.sim.state.subUsers.size).toBe(0);
  });

  it('subuser delete asks to confirm, naming the sub-user; confirm deletes it', async () => {
    const rig = await chatRig();
    const user = await rig.webshare.createSubUser({ label: 'leaving-customer', proxy_limit: 1 });
    await rig.tick();
    const prompt = await slack(rig, `subuser delete ${user.id}`);
    expect(prompt.body!.text).toContain(`sub-user ${user.id} (\`leaving-customer\``);
    expect(prompt.body!.text).toContain(`Run \`subuser delete ${user.id} confirm\``);
    expect(rig.sim.state.subUsers.has(user.id)).toBe(true);

    await slack(rig, `subuser delete ${user.id} confirm`);
    expect(rig.sim.state.subUsers.has(user.id)).toBe(false);
    expect(slackDeferred(rig).text).toContain(`Deleted sub-user ${user.id} (\`leaving-customer\`)`);
  });

  it('subuser delete of an unknown id deletes nothing and says so', async () => {
    const rig = await chatRig();
    await slack(rig, 'subuser delete 4242 confirm');
    expect(slackDeferred(rig).text).toContain('No sub-user 4242');
    expect(webshareCalls(rig, 'DELETE')).toBe(0);
  });

  it('silence mutes an alert key for the given time, through the alert engine’s silences', async () => {
    const rig = await chatRig();
    rig.sim.control.setBandwidth({ usedBytes: 46 * GIB_BYTES, limitBytes: 50 * GIB_BYTES });
    await rig.tick();
    const before = Date.now();
    const { body } = await slack(rig, 'silence bandwidth 2h');
    expect(body!.text).toContain('Silenced `bandwidth` for 2 hours');
    expect(body!.text).toContain('Matches 1 current alert: `bandwidth`.');
    const silences = await readSilences(rig.env.STATE, Date.now());
    expect(silences).toHaveLength(1);
    expect(silences[0]!.matcher).toEqual({ key: 'bandwidth' });
    expect(silences[0]!.comment).toContain(SLACK_ADMIN);
    const length = Date.parse(silences[0]!.ends_at) - Date.parse(silences[0]!.starts_at);
    expect(length).toBe(7_200_000);
    expect(Date.parse(silences[0]!.starts_at)).toBeGreaterThanOrEqual(before - 1000);

    const alerts = await slack(rig, 'alerts');
    expect(alerts.body!.text).toMatch(/`bandwidth`.*silenced/);
    expect(alerts.body!.text).toContain('🔕 `bandwidth` until');
  });

  it('silence with a bad duration gets the usage line and stores nothing', async () => {
    const rig = await chatRig();
    const { body } = await slack(rig, 'silence bandwidth 90d');
    expect(plain(body!.text)).toContain('silence <alert> <duration>');
    expect(await readSilences(rig.env.STATE, Date.now())).toHaveLength(0);
  });

  it.each([
    'refresh',
    'refresh confirm',
    'replace 10.0.0.1',
    'subuser create x 1',
    'subuser delete 1 confirm',
    'silence bandwidth 1h',
  ])('refuses %j to a user who is not allow-listed, running nothing', async (text) => {
    const rig = await chatRig();
    const { status, body } = await slack(rig, text, { user: SLACK_READER });
    expect(status).toBe(200);
    expect(body!.response_type).toBe('ephemeral');
    expect(body!.text).toContain('Not allowed');
    expect(body!.text).toContain(`\`${SLACK_READER}\` to SLACK_ALLOWED_USERS`);
    expect(webshareCalls(rig)).toBe(0);
    expect(rig.slack.requests).toHaveLength(0);
    expect(await readSilences(rig.env.STATE, Date.now())).toHaveLength(0);
  });
});
