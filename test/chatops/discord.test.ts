import { SUITE_BYTES_PER_GB } from '../helpers/wire';
import { describe, expect, it } from 'vitest';
import { GIB_BYTES } from '../../sim';
import { readSilences } from '../../src/alerts/silences';
import {
  DISCORD_ADMIN,
  DISCORD_API,
  DISCORD_APP_ID,
  DISCORD_READER,
  INTERACTION_TOKEN,
  PING,
  chatRig,
  commandInteraction,
  discord,
  nowSeconds,
  type ChatRig,
} from './helpers';
import { WIRE } from '../helpers/wire';

const FOLLOW_UP_URL = `${DISCORD_API}/webhooks/${DISCORD_APP_ID}/${INTERACTION_TOKEN}/messages/@original`;

/** The one edit of the deferred message Discord's webhook API received. */
function followUp(rig: ChatRig): Record<string, any> {
  expect(rig.discord.requests).toHaveLength(1);
  expect(rig.discord.requests[0]).toMatchObject({ method: 'PATCH', url: FOLLOW_UP_URL });
  return rig.discord.json(0);
}

describe('POST /chatops/discord: signatures', () => {
  it('answers a PING signed with the application key with a PONG', async () => {
    const rig = await chatRig();
    const { status, body } = await discord(rig, PING);
    expect(status).toBe(200);
    expect(body).toEqual({ type: 1 });
  });

  it.each([
    ['a tampered body', { tamper: (body: string) => body.replace('"type":1', '"type":1 ') }],
    ['a timestamp more than 5 minutes old', { timestamp: nowSeconds() - 301 }],
    ['no X-Signature-Ed25519', { omit: ['X-Signature-Ed25519' as const] }],
    ['no X-Signature-Timestamp', { omit: ['X-Signature-Timestamp' as const] }],
    ['a signature that is not hex', { headers: { 'X-Signature-Ed25519': 'not-hex' } }],
    ['a signature of the wrong length', { headers: { 'X-Signature-Ed25519': 'ab'.repeat(32) } }],
    ['an all-zero signature', { headers: { 'X-Signature-Ed25519': '00'.repeat(64) } }],
    ['a timestamp that is not a number', { headers: { 'X-Signature-Timestamp': 'yesterday' } }],
  ])('rejects %s with 401', async (_name, options) => {
    const rig = await chatRig();
    const { status, body } = await discord(rig, PING, options);
    expect(status).toBe(401);
    expect(body!.error.code).toBe('invalid_signature');
  });

  it('rejects a request signed with another key pair (Discord’s own probe) with 401', async () => {
    const rig = await chatRig();
    const other = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const { status } = await discord(rig, commandInteraction(['refresh'], { confirm: true }), {
      keys: other,
    });
    expect(status).toBe(401);
    expect(rig.sim.state.quotas.ondemandUsed).toBe(0);
  });

  it('rejects a signature made over a different timestamp', async () => {
    const rig = await chatRig();
    const { status } = await discord(rig, PING, {
      headers: { 'X-Signature-Timestamp': String(nowSeconds() - 1) },
    });
    expect(status).toBe(401);
  });

  it('answers 503 naming DISCORD_PUBLIC_KEY when it is unset or not a key', async () => {
    for (const value of ['', 'abc123']) {
      const rig = await chatRig({ DISCORD_PUBLIC_KEY: value });
      const { status, body } = await discord(rig, PING);
      expect(status).toBe(503);
      expect(body!.error.details).toEqual({ variable: 'DISCORD_PUBLIC_KEY' });
    }
  });

  it('answers 400 to a signed interaction type it does not handle', async () => {
    const rig = await chatRig();
    const { status, body } = await discord(rig, { ...PING, type: 3 });
    expect(status).toBe(400);
    expect(body!.error.code).toBe('unsupported_interaction');
  });
});

describe('POST /chatops/discord: commands', () => {
  it('status answers at once (type 4), privately by default, with an embed', async () => {
    const rig = await chatRig();
    rig.sim.control.setBandwidth({
      usedBytes: 20 * GIB_BYTES,
      limitBytes: 50 * GIB_BYTES,
      projectedBytes: 25 * GIB_BYTES,
    });
    await rig.tick();
    const { body } = await discord(rig, commandInteraction(['status'], {}, DISCORD_READER));
    expect(body).toMatchObject({ type: 4, data: { flags: 64, allowed_mentions: { parse: [] } } });
    const embed = body!.data.embeds[0];
    expect(embed.title).toBe('Account status');
    expect(embed.description).toContain('No alerts firing.');
    expect(embed.fields).toContainEqual({ name: 'Bandwidth', value: '20 GB of 50 GB', inline: true });
    expect(embed.fields).toContainEqual({
      name: 'Bandwidth used',
      value: '`▓▓▓▓▓▓▓▓░░░░░░░░░░░░ 40%`',
      inline: false,
    });
    expect(rig.discord.requests).toHaveLength(0);
  });

  it('status with in_channel is public (no ephemeral flag)', async () => {
    const rig = await chatRig();
    const { body } = await discord(rig, commandInteraction(['status'], { in_channel: true }, DISCORD_READER));
    expect(body!.type).toBe(4);
    expect(body!.data.flags).toBeUndefined();
  });

  it('subusers answers at once (type 4) from the last tick, without calling Webshare', async () => {
    const rig = await chatRig();
    const user = await rig.webshare.createSubUser({ label: 'customer-9', proxy_limit: 4 });
    await rig.tick();
    const before = rig.sim.requests.length;
    const { body } = await discord(rig, commandInteraction(['subusers'], {}, DISCORD_READER));
    expect(body!.type).toBe(4);
    expect(body!.data.flags).toBe(64);
    expect(body!.data.embeds[0].title).toBe('Sub-users (1)');
    expect(body!.data.embeds[0].description).toContain('`customer-9` — 0 B of 4 GB');
    expect(body!.data.embeds[0].footer.text).toMatch(/^As of .* \(just now\)/);
    expect(rig.sim.requests.length).toBe(before);
    expect(rig.discord.requests).toHaveLength(0);
    expect(JSON.stringify(body)).not.toContain(user.proxy_password);
  });

  it('usage takes an id or a label', async () => {
    const rig = await chatRig();
    const user = await rig.webshare.createSubUser({ label: 'Acme Corp', proxy_limit: 10 });
    // 9 of its 10 GB, in the dialect's GB.
    rig.sim.control.setSubUserUsage(user.id, 9 * SUITE_BYTES_PER_GB);
    await rig.tick();
    const { body } = await discord(
      rig,
      commandInteraction(['usage'], { subuser: 'Acme Corp', in_channel: true }, DISCORD_READER),
    );
    const edit = body!.data;
    expect(edit.flags).toBeUndefined();
    // A label with a space is not a plain literal: escaped text, not a code span.
    expect(edit.embeds[0].title).toBe(`Usage of Acme Corp (sub-user ${user.id})`);
    const byId = await discord(rig, commandInteraction(['usage'], { subuser: String(user.id) }));
    expect(byId.body!.data.embeds[0].title).toBe(edit.embeds[0].title);
    expect(edit.embeds[0].fields).toContainEqual({
      name: 'Bandwidth used',
      value: '`▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓░░ 90%`',
      inline: false,
    });
  });

  it('refresh asks to confirm; refresh with confirm spends one refresh', async () => {
    const rig = await chatRig();
    const prompt = await discord(rig, commandInteraction(['refresh']));
    expect(prompt.body!.type).toBe(4);
    expect(prompt.body!.data.embeds[0].description).toContain('Run `refresh confirm` to go ahead.');
    expect(rig.sim.state.quotas.ondemandUsed).toBe(0);

    const confirmed = await discord(
      rig,
      commandInteraction(['refresh'], { confirm: true, in_channel: true }),
    );
    expect(confirmed.body).toEqual({ type: 5, data: {} });
    expect(rig.sim.state.quotas.ondemandUsed).toBe(1);
    expect(followUp(rig).embeds[0].description).toContain('On-demand refreshes left: 2 of 3.');
  });

  it('replace replaces the proxy', async () => {
    // v1's synchronous answer; v2's "Replacement started" is in dialects.test.ts.
    const rig = await chatRig({ WEBSHARE_API_VERSION: 'v1' });
    const address = rig.sim.state.proxies.address(3);
    await discord(rig, commandInteraction(['replace'], { ip: address }));
    expect(followUp(rig).embeds[0].title).toBe(`Replacement requested for \`${address}/32\``);
    expect(rig.sim.state.quotas.replacementsUsed).toBe(1);
  });

  it('replace with a bad address gets the usage line', async () => {
    const rig = await chatRig();
    const { body } = await discord(rig, commandInteraction(['replace'], { ip: '300.1.1.1' }));
    expect(body!.type).toBe(4);
    expect(body!.data.flags).toBe(64);
    expect(body!.data.embeds[0].description).toContain('`replace <ip>`');
    expect(rig.discord.requests).toHaveLength(0);
  });

  it('subuser create is deferred privately and shows the password only there', async () => {
    const rig = await chatRig();
    const { body } = await discord(
      rig,
      commandInteraction(['subuser', 'create'], { label: 'Acme Corp', limit_gb: 2.5, threads: 50 }),
    );
    expect(body).toEqual({ type: 5, data: { flags: 64 } });
    const [created] = [...rig.sim.state.subUsers.values()];
    expect(created).toMatchObject({ label: 'Acme Corp', proxy_limit: 2.5, max_thread_count: 50 });
    const edit = JSON.stringify(followUp(rig));
    expect(edit).toContain(created!.proxy_password);
    expect(edit).toContain('Only you can see this reply');
  });

  it('subuser delete with confirm deletes; without, it asks', async () => {
    const rig = await chatRig();
    const user = await rig.webshare.createSubUser({ label: 'gone', proxy_limit: 1 });
    const prompt = await discord(rig, commandInteraction(['subuser', 'delete'], { id: user.id }));
    expect(prompt.body!.data.embeds[0].title).toBe(`Delete sub-user ${user.id}?`);
    expect(rig.sim.state.subUsers.has(user.id)).toBe(true);
    await discord(rig, commandInteraction(['subuser', 'delete'], { id: user.id, confirm: true }));
    expect(rig.sim.state.subUsers.has(user.id)).toBe(false);
    expect(followUp(rig).embeds[0].title).toBe(`Deleted sub-user ${user.id} (\`gone\`)`);
  });

  it('alerts and silence work on the alert engine’s state', async () => {
    const rig = await chatRig();
    rig.sim.control.setBandwidth({ usedBytes: 50 * GIB_BYTES, limitBytes: 50 * GIB_BYTES });
    await rig.tick();
    const silence = await discord(
      rig,
      commandInteraction(['silence'], { alert: 'bandwidth', duration: '30m' }),
    );
    expect(silence.body!.data.embeds[0].title).toBe('Silenced `bandwidth` for 30 minutes');
    const [stored] = await readSilences(rig.env.STATE, Date.now());
    expect(Date.parse(stored!.ends_at) - Date.parse(stored!.starts_at)).toBe(1_800_000);
    expect(stored!.comment).toContain(DISCORD_ADMIN);
    const alerts = await discord(rig, commandInteraction(['alerts'], {}, DISCORD_READER));
    expect(alerts.body!.data.embeds[0].description).toMatch(/🔴 `bandwidth` .* · silenced/);
  });

  it('silence with a bad duration gets the usage line', async () => {
    const rig = await chatRig();
    const { body } = await discord(
      rig,
      commandInteraction(['silence'], { alert: 'bandwidth', duration: 'soon' }),
    );
    expect(body!.data.embeds[0].description).toContain('`silence <alert> <duration>`');
  });

  it('help lists the commands', async () => {
    const rig = await chatRig();
    const { body } = await discord(rig, commandInteraction(['help'], {}, DISCORD_READER));
    expect(body!.data.embeds[0].description).toContain('`subuser delete <id>`');
  });

  it.each([
    [['refresh'], { confirm: true }],
    [['replace'], { ip: '10.0.0.1' }],
    [['subuser', 'create'], { label: 'x', limit_gb: 1 }],
    [['subuser', 'delete'], { id: 1, confirm: true }],
    [['silence'], { alert: 'bandwidth', duration: '1h' }],
  ])('refuses %j to a user who is not allow-listed', async (path, values) => {
    const rig = await chatRig();
    const { body } = await discord(rig, commandInteraction(path, values, DISCORD_READER));
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(body!.data.embeds[0].title).toBe('Not allowed');
    expect(body!.data.embeds[0].description).toContain(`\`${DISCORD_READER}\` to DISCORD_ALLOWED_USERS`);
    expect(rig.sim.requests).toHaveLength(0);
    expect(rig.discord.requests).toHaveLength(0);
  });

  it('takes the user from `user` in a direct message', async () => {
    const rig = await chatRig();
    const { member: _member, ...dm } = commandInteraction(['refresh'], { confirm: true });
    const { body } = await discord(rig, { ...dm, user: { id: DISCORD_READER } });
    expect(body!.data.embeds[0].title).toBe('Not allowed');
  });

  it('reports a Webshare failure in the follow-up', async () => {
    const rig = await chatRig();
    rig.sim.control.inject({ path: WIRE.subusers, status: 503 });
    await discord(rig, commandInteraction(['subuser', 'create'], { label: 'acme', limit_gb: 1 }));
    const edit = followUp(rig);
    expect(edit.embeds[0].title).toBe('`subuser create` failed');
    expect(edit.embeds[0].description).toContain('temporarily unavailable');
  });
});
