/**
 * Chat-ops answers only the workspaces and servers it is told to: SLACK_ALLOWED_TEAMS and
 * DISCORD_ALLOWED_GUILDS. Requests are signed the platforms' own way (HMAC v0, Ed25519), so each
 * refusal below passed the signature check and is refused on the boundary alone.
 */
import { createExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { GIB_BYTES } from '../../sim';
import { createApp } from '../../src/app';
import type { Env } from '../../src/env';
import {
  DISCORD_READER,
  PING,
  SLACK_ADMIN,
  callWorker,
  chatRig,
  commandInteraction,
  discord,
  slack,
  slashForm,
  type ChatRig,
} from './helpers';

const OUR_TEAM = 'T0001';
const OUR_GUILD = '500000000000000005';
const BOUNDED: Partial<Env> = {
  SLACK_ALLOWED_TEAMS: `${OUR_TEAM}, TPARTNER9`,
  DISCORD_ALLOWED_GUILDS: OUR_GUILD,
};
const REFUSAL = 'webshare-ops does not answer here.';

/** An account with figures worth hiding: bandwidth near the limit, labelled sub-users, alerts. */
async function accountWithData(
  extraEnv: Partial<Env> = BOUNDED,
): Promise<{ rig: ChatRig; secrets: string[] }> {
  const rig = await chatRig(extraEnv);
  rig.sim.control.setBandwidth({ usedBytes: 47.5 * GIB_BYTES, limitBytes: 50 * GIB_BYTES });
  await rig.webshare.createSubUser({ label: 'acme-customer', proxy_limit: 10 });
  await rig.webshare.createSubUser({ label: 'globex-customer', proxy_limit: 0 });
  await rig.tick();
  const secrets = ['acme-customer', 'globex-customer', '47.5', '50 GB', '95%', 'GB'];
  secrets.push('bandwidth', 'Bandwidth', 'refreshes', 'Sub-users', 'status', 'subuser');
  return { rig, secrets };
}

function slackForm(text: string, fields: Record<string, string | null>): string {
  const form = new URLSearchParams(slashForm(text, SLACK_ADMIN));
  for (const [name, value] of Object.entries(fields)) {
    if (value === null) form.delete(name);
    else form.set(name, value);
  }
  return form.toString();
}

function expectNoAccountData(raw: string, secrets: string[]): void {
  for (const value of secrets) expect(raw, `the refusal mentions ${value}`).not.toContain(value);
}

describe('SLACK_ALLOWED_TEAMS', () => {
  it.each(['status', 'subusers', 'usage acme-customer', 'alerts', 'help', 'refresh confirm', 'nonsense'])(
    'refuses `%s` from another workspace with a fixed sentence and no account data',
    async (text) => {
      const { rig, secrets } = await accountWithData();
      const before = rig.sim.requests.length;
      const { status, raw, body } = await slack(rig, text, {
        body: slackForm(text, { team_id: 'TSTRANGER', team_domain: 'strangers' }),
      });
      expect(status).toBe(200);
      expect(body!.response_type).toBe('ephemeral');
      expect(body!.text).toBe(REFUSAL);
      expectNoAccountData(raw, secrets);
      expect(rig.sim.requests.length).toBe(before);
      expect(rig.sim.state.quotas.ondemandUsed).toBe(0);
      expect(rig.slack.requests).toHaveLength(0);
    },
  );

  it('refuses a request that names no workspace', async () => {
    const { rig, secrets } = await accountWithData();
    const { body, raw } = await slack(rig, 'status', { body: slackForm('status', { team_id: null }) });
    expect(body!.text).toBe(REFUSAL);
    expectNoAccountData(raw, secrets);
  });

  it('answers an allowed workspace as before', async () => {
    const { rig } = await accountWithData();
    for (const team of [OUR_TEAM, 'TPARTNER9']) {
      const { body } = await slack(rig, 'status', { body: slackForm('status', { team_id: team }) });
      expect(JSON.stringify(body!.blocks)).toContain('47.5 GB of 50 GB');
    }
  });

  it('answers a workspace of an allowed Enterprise Grid organisation', async () => {
    const { rig } = await accountWithData({ SLACK_ALLOWED_TEAMS: 'E0ORG001' });
    const { body } = await slack(rig, 'subusers', {
      body: slackForm('subusers', { team_id: 'T0NEWTEAM', enterprise_id: 'E0ORG001' }),
    });
    expect(body!.text).toContain('acme-customer');
  });

  it('answers any workspace when unset, as before', async () => {
    const { rig } = await accountWithData({});
    const { body } = await slack(rig, 'status', { body: slackForm('status', { team_id: 'TSTRANGER' }) });
    expect(JSON.stringify(body!.blocks)).toContain('47.5 GB of 50 GB');
  });
});

describe('DISCORD_ALLOWED_GUILDS', () => {
  it.each([
    ['another server', (i: Record<string, unknown>) => ({ ...i, guild_id: '999999999999999999' })],
    [
      'a direct message',
      ({ guild_id: _g, member: _m, ...i }: Record<string, unknown>) => ({
        ...i,
        user: { id: DISCORD_READER },
      }),
    ],
  ])('refuses %s with a fixed sentence and no account data', async (_name, reshape) => {
    const { rig, secrets } = await accountWithData();
    const before = rig.sim.requests.length;
    const commands: [string[], Record<string, string | boolean>][] = [
      [['status'], {}],
      [['subusers'], {}],
      [['usage'], { subuser: 'acme-customer' }],
      [['refresh'], { confirm: true }],
      [['help'], {}],
    ];
    for (const [path, values] of commands) {
      const { status, raw, body } = await discord(rig, reshape(commandInteraction(path, values)));
      expect(status).toBe(200);
      expect(body!.type).toBe(4);
      expect(body!.data.flags).toBe(64);
      expect(body!.data.embeds[0].title).toBe(REFUSAL);
      expect(body!.data.allowed_mentions).toEqual({ parse: [] });
      expectNoAccountData(raw, secrets);
    }
    expect(rig.sim.requests.length).toBe(before);
    expect(rig.sim.state.quotas.ondemandUsed).toBe(0);
    expect(rig.discord.requests).toHaveLength(0);
  });

  it('still answers Discord’s PING, which names no server', async () => {
    const { rig } = await accountWithData();
    expect((await discord(rig, PING)).body).toEqual({ type: 1 });
  });

  it('answers the allowed server as before', async () => {
    const { rig } = await accountWithData();
    const { body } = await discord(rig, commandInteraction(['subusers'], {}, DISCORD_READER));
    expect(body!.data.embeds[0].description).toContain('acme-customer');
  });

  it('answers any server, and DMs, when unset, as before', async () => {
    const { rig } = await accountWithData({});
    const { guild_id: _g, member: _m, ...dm } = commandInteraction(['subusers']);
    const { body } = await discord(rig, { ...dm, user: { id: DISCORD_READER } });
    expect(body!.data.embeds[0].description).toContain('acme-customer');
  });
});

describe('the warning that chat-ops is open to any workspace or server', () => {
  const ADMIN = { Authorization: 'Bearer test-admin-token-0123456789' };

  async function warnings(rig: ChatRig, env: Partial<Env>): Promise<{ status: string[]; html: string }> {
    const merged = { ...rig.env, ...env } as Env;
    const app = createApp();
    const status = await app.request(
      'https://worker.test/v1/status',
      { headers: ADMIN },
      merged,
      createExecutionContext(),
    );
    const body = (await status.json()) as { warnings: { code: string }[] };
    const html = await (
      await callWorker(merged, new Request('https://worker.test/', { headers: ADMIN }))
    ).text();
    return { status: body.warnings.map((w) => w.code), html };
  }

  it('is on /v1/status and the dashboard for each configured platform without its allow-list', async () => {
    const { rig } = await accountWithData({});
    const { status, html } = await warnings(rig, {});
    expect(status).toEqual(['slack_open_to_any_workspace', 'discord_open_to_any_guild']);
    expect(html).toContain('set SLACK_ALLOWED_TEAMS');
    expect(html).toContain('set DISCORD_ALLOWED_GUILDS');
  });

  it('is absent once the allow-lists are set', async () => {
    const { rig } = await accountWithData();
    const { status, html } = await warnings(rig, {});
    expect(status).toEqual([]);
    expect(html).not.toContain('data-list="warnings"');
  });

  it('is absent for a platform whose chat-ops is not configured', async () => {
    const { rig } = await accountWithData({});
    const { status, html } = await warnings(rig, { SLACK_SIGNING_SECRET: '', DISCORD_PUBLIC_KEY: undefined });
    expect(status).toEqual([]);
    expect(html).not.toContain('ALLOWED_TEAMS');
  });
});
