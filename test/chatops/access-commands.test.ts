/**
 * `authorize-ip add|remove <ip>` and `reset-password` on both chat platforms, through the real
 * worker against the simulator: they ask to confirm first, run only for allow-listed users, change
 * Webshare once confirmed, announce on the alert channels, and never show the proxy password in chat,
 * in the announcement or in the logs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { WIRE } from '../helpers/wire';
import {
  DISCORD_APP_ID,
  DISCORD_READER,
  INTERACTION_TOKEN,
  SLACK_ACK,
  SLACK_READER,
  chatRig,
  commandInteraction,
  discord,
  plain,
  slack,
  slackDeferred,
  webshareCalls,
  type ChatRig,
} from './helpers';

const ALERT_SLACK_URL = 'https://alerts.sink/services/T9/B9/alerttoken';
const FOLLOW_UP_URL = `https://discord.test/api/v10/webhooks/${DISCORD_APP_ID}/${INTERACTION_TOKEN}/messages/@original`;
const IP = '203.0.113.77';

let logs: string[];
beforeEach(() => {
  logs = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

/** The chat rig plus a recording alert channel (SLACK_WEBHOOK_URL). */
async function rigWithAlerts(): Promise<ChatRig & { alerts: RecordingSink }> {
  const rig = await chatRig({ SLACK_WEBHOOK_URL: ALERT_SLACK_URL });
  const alerts = new RecordingSink();
  routeOutbound({
    'webshare.sim': rig.sim.fetch,
    'hooks.slack.test': rig.slack.fetch,
    'discord.test': rig.discord.fetch,
    'alerts.sink': alerts.fetch,
  });
  return { ...rig, alerts };
}

function discordFollowUp(rig: ChatRig): Record<string, any> {
  expect(rig.discord.requests).toHaveLength(1);
  expect(rig.discord.requests[0]).toMatchObject({ method: 'PATCH', url: FOLLOW_UP_URL });
  return rig.discord.json(0);
}

describe('Slack: authorize-ip', () => {
  it('asks to confirm first, inline, without calling Webshare', async () => {
    const rig = await rigWithAlerts();
    const { body } = await slack(rig, `authorize-ip add ${IP}`);
    expect(body!.response_type).toBe('ephemeral');
    expect(plain(body!.text)).toContain(`Authorise \`${IP}\`?`);
    expect(body!.text).toContain(`Run \`authorize-ip add ${IP} confirm\` to go ahead.`);
    expect(webshareCalls(rig)).toBe(0);
  });

  it('add … confirm authorises the address, answers the set and announces it', async () => {
    const rig = await rigWithAlerts();
    rig.sim.state.config.authorized_ips = ['198.51.100.1'];
    const { body } = await slack(rig, `authorize-ip add ${IP} confirm`);
    expect(body).toEqual(SLACK_ACK);
    expect(rig.sim.state.config.authorized_ips).toEqual(['198.51.100.1', IP]);
    const answer = slackDeferred(rig);
    expect(answer.text).toContain(`\`${IP}\` may now use the proxies without a password`);
    expect(answer.text).toContain(`Authorised now (2): \`198.51.100.1\`, \`${IP}\`.`);
    const announced = JSON.stringify(rig.alerts.json(0));
    expect(announced).toContain('Authorised IPs changed');
    expect(announced).toContain('Slack user UADMIN0001');
  });

  it('remove … confirm removes it; removing an address not there changes nothing', async () => {
    const rig = await rigWithAlerts();
    rig.sim.state.config.authorized_ips = [IP];
    await slack(rig, `authorize-ip remove ${IP} confirm`);
    expect(rig.sim.state.config.authorized_ips).toEqual([]);
    expect(slackDeferred(rig).text).toContain(`\`${IP}\` may no longer use the proxies`);
    rig.slack.requests.length = 0;
    await slack(rig, `authorize-ip remove ${IP} confirm`);
    expect(slackDeferred(rig).text).toContain(`\`${IP}\` was not authorised\nNothing was changed.`);
    expect(rig.alerts.requests).toHaveLength(1);
  });

  it.each([
    ['10.0.0.0/24', 'CIDR ranges are not accepted'],
    ['proxy.example.com', 'expected an IPv4 or IPv6 address'],
  ])('refuses %s with the usage line, calling nothing', async (target, message) => {
    const rig = await rigWithAlerts();
    const { body } = await slack(rig, `authorize-ip add ${target} confirm`);
    expect(body!.text).toContain(message);
    expect(plain(body!.text)).toContain('authorize-ip add|remove <ip>');
    expect(webshareCalls(rig)).toBe(0);
  });

  it('refuses a 21st address with the reason, changing nothing', async () => {
    const rig = await rigWithAlerts();
    const twenty = Array.from({ length: 20 }, (_, i) => `192.0.2.${i + 1}`);
    rig.sim.state.config.authorized_ips = [...twenty];
    await slack(rig, `authorize-ip add ${IP} confirm`);
    const answer = slackDeferred(rig);
    expect(answer.text).toContain(
      'at most 20 authorised IPs; this change would leave 21; nothing was changed',
    );
    expect(rig.sim.state.config.authorized_ips).toEqual(twenty);
    expect(webshareCalls(rig, 'POST')).toBe(0);
    expect(rig.alerts.requests).toEqual([]);
  });

  it('is refused to a user who is not allow-listed', async () => {
    const rig = await rigWithAlerts();
    const { body } = await slack(rig, `authorize-ip add ${IP} confirm`, { user: SLACK_READER });
    expect(body!.text).toContain('Not allowed');
    expect(body!.text).toContain('SLACK_ALLOWED_USERS');
    expect(webshareCalls(rig)).toBe(0);
  });
});

describe('Slack: reset-password', () => {
  it('asks to confirm first, without calling Webshare', async () => {
    const rig = await rigWithAlerts();
    const { body } = await slack(rig, 'reset-password');
    expect(body!.text).toContain('Reset the proxy password?');
    expect(body!.text).toContain('Run `reset-password confirm` to go ahead.');
    expect(webshareCalls(rig)).toBe(0);
  });

  it('confirm resets once, answers privately even when asked in_channel, and never shows the password', async () => {
    const rig = await rigWithAlerts();
    const before = rig.sim.state.config.password;
    const { body } = await slack(rig, 'reset-password confirm in_channel');
    expect(body).toEqual(SLACK_ACK);
    const after = rig.sim.state.config.password;
    expect(after).not.toBe(before);
    expect(rig.sim.requests.filter((r) => r.path === WIRE.passwordReset)).toHaveLength(1);
    const answer = slackDeferred(rig);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('Proxy password reset');
    expect(answer.text).toContain('GET /v1/proxy-config');
    const everything = [JSON.stringify(answer), ...rig.alerts.requests.map((r) => r.body), ...logs].join(
      '\n',
    );
    expect(rig.alerts.requests).toHaveLength(1);
    expect(rig.alerts.requests[0]!.body).toContain('Proxy password reset');
    expect(everything).not.toContain(after);
    expect(everything).not.toContain(before);
  });

  it('is refused to a user who is not allow-listed, resetting nothing', async () => {
    const rig = await rigWithAlerts();
    const { body } = await slack(rig, 'reset-password confirm', { user: SLACK_READER });
    expect(body!.text).toContain('Not allowed');
    expect(webshareCalls(rig)).toBe(0);
    expect(rig.sim.state.passwordGeneration).toBe(0);
  });
});

describe('Discord: authorize-ip and reset-password', () => {
  it('authorize-ip add without confirm asks; with confirm it authorises', async () => {
    const rig = await rigWithAlerts();
    const prompt = await discord(rig, commandInteraction(['authorize-ip', 'add'], { ip: IP }));
    expect(prompt.body!.data.embeds[0].title).toBe(`Authorise \`${IP}\`?`);
    expect(webshareCalls(rig)).toBe(0);
    const { body } = await discord(
      rig,
      commandInteraction(['authorize-ip', 'add'], { ip: IP, confirm: true }),
    );
    expect(body).toEqual({ type: 5, data: { flags: 64 } });
    expect(rig.sim.state.config.authorized_ips).toEqual([IP]);
    expect(discordFollowUp(rig).embeds[0].title).toBe(`\`${IP}\` may now use the proxies without a password`);
    expect(rig.alerts.requests[0]!.body).toContain(`Discord user`);
  });

  it('authorize-ip remove with confirm removes the address', async () => {
    const rig = await rigWithAlerts();
    rig.sim.state.config.authorized_ips = [IP, '198.51.100.1'];
    await discord(rig, commandInteraction(['authorize-ip', 'remove'], { ip: IP, confirm: true }));
    expect(rig.sim.state.config.authorized_ips).toEqual(['198.51.100.1']);
  });

  it('reset-password with confirm resets and answers privately without the password', async () => {
    const rig = await rigWithAlerts();
    const prompt = await discord(rig, commandInteraction(['reset-password']));
    expect(prompt.body!.data.embeds[0].title).toBe('Reset the proxy password?');
    expect(rig.sim.state.passwordGeneration).toBe(0);
    const { body } = await discord(rig, commandInteraction(['reset-password'], { confirm: true }));
    expect(body).toEqual({ type: 5, data: { flags: 64 } });
    expect(rig.sim.state.passwordGeneration).toBe(1);
    const followUp = discordFollowUp(rig);
    expect(followUp.embeds[0].title).toBe('Proxy password reset');
    const everything = [JSON.stringify(followUp), ...rig.alerts.requests.map((r) => r.body), ...logs].join(
      '\n',
    );
    expect(everything).not.toContain(rig.sim.state.config.password);
  });

  it.each([
    [['authorize-ip', 'add'], { ip: IP, confirm: true }],
    [['authorize-ip', 'remove'], { ip: IP, confirm: true }],
    [['reset-password'], { confirm: true }],
  ])('refuses %j to a user who is not allow-listed', async (path, values) => {
    const rig = await rigWithAlerts();
    const { body } = await discord(rig, commandInteraction(path, values, DISCORD_READER));
    expect(body!.data.embeds[0].title).toBe('Not allowed');
    expect(body!.data.embeds[0].description).toContain('DISCORD_ALLOWED_USERS');
    expect(rig.sim.requests).toHaveLength(0);
  });
});
