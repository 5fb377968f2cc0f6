/**
 * Replays: a captured, validly signed request sent again verbatim (same body, timestamp and
 * signature, inside the 5-minute window) must not run a mutating command twice; read commands and
 * confirmation prompts still answer every copy. The work is counted where it happens: the
 * simulator's request log and state, KV silences, and the recording sinks.
 */
import { WIRE } from '../helpers/wire';
import { describe, expect, it } from 'vitest';
import { readSilences } from '../../src/alerts/silences';
import {
  SLACK_ACK,
  callWorker,
  chatRig,
  commandInteraction,
  discordRequest,
  slackRequest,
  slashForm,
  webshareCalls,
  type ChatRig,
} from './helpers';

const ALREADY_HANDLED = 'This request was already handled';

/** Sends the same signed request twice (a clone: bodies are read once) and returns both answers. */
async function sendTwice(rig: ChatRig, request: Request, concurrently = false) {
  const copy = request.clone();
  const read = async (r: Request) => {
    const response = await callWorker(rig.env, r);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  if (concurrently) return Promise.all([read(request), read(copy)]);
  const first = await read(request);
  return [first, await read(copy)] as const;
}

function slackText(answer: { body: Record<string, any> }): string {
  return String(answer.body.text);
}

describe('chat-ops replays on Slack', () => {
  it('runs a verbatim replay of a signed `refresh confirm` once, and says so', async () => {
    const rig = await chatRig();
    const [first, replay] = await sendTwice(rig, await slackRequest('refresh confirm'));

    expect(first.body).toEqual(SLACK_ACK);
    expect(replay.status).toBe(200);
    expect(replay.body.response_type).toBe('ephemeral');
    expect(slackText(replay)).toContain(ALREADY_HANDLED);
    expect(rig.sim.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(rig.sim.state.quotas.ondemandUsed).toBe(1);
    // Only the first request's answer reached response_url.
    expect(rig.slack.requests).toHaveLength(1);
    expect(rig.slack.json<{ text: string }>(0).text).toContain('Proxy list refresh started');
  });

  it('runs one of two copies sent at the same instant', async () => {
    const rig = await chatRig();
    const answers = await sendTwice(rig, await slackRequest('refresh confirm'), true);

    expect(answers.map((a) => a.body.text === SLACK_ACK.text).sort()).toEqual([false, true]);
    expect(answers.filter((a) => slackText(a).includes(ALREADY_HANDLED))).toHaveLength(1);
    expect(rig.sim.state.quotas.ondemandUsed).toBe(1);
  });

  it('falls back to the body hash when a form has no trigger_id', async () => {
    const rig = await chatRig();
    const form = new URLSearchParams(slashForm('refresh confirm'));
    form.delete('trigger_id');
    const [first, replay] = await sendTwice(rig, await slackRequest('', { body: form.toString() }));

    expect(first.body).toEqual(SLACK_ACK);
    expect(slackText(replay)).toContain(ALREADY_HANDLED);
    expect(rig.sim.state.quotas.ondemandUsed).toBe(1);
  });

  it('runs the same command again when the user sends it again (a new trigger_id)', async () => {
    const rig = await chatRig();
    await sendTwice(rig, await slackRequest('refresh confirm'));
    await sendTwice(rig, await slackRequest('refresh confirm'));
    expect(rig.sim.state.quotas.ondemandUsed).toBe(2);
  });

  it.each<[string, (rig: ChatRig) => string, (rig: ChatRig) => Promise<number>]>([
    [
      'replace',
      (rig) => `replace ${rig.sim.state.proxies.address(0)}`,
      // Replacements sent (v2 counts one as used only once it completes).
      async (rig) =>
        rig.sim.requests.filter((r) => r.method === 'POST' && r.path === WIRE.replacements).length,
    ],
    ['subuser create', () => 'subuser create acme 1', async (rig) => rig.sim.state.subUsers.size],
    [
      'silence',
      () => 'silence bandwidth 1h',
      async (rig) => (await readSilences(rig.env.STATE, Date.now())).length,
    ],
  ])('does not run a replayed `%s` again', async (_name, text, done) => {
    const rig = await chatRig();
    const request = await slackRequest(text(rig));
    const [first, replay] = await sendTwice(rig, request);

    expect(slackText(first)).not.toContain(ALREADY_HANDLED);
    expect(slackText(replay)).toContain(ALREADY_HANDLED);
    expect(await done(rig)).toBe(1);
  });

  it('does not run a replayed `subuser delete <id> confirm` again', async () => {
    const rig = await chatRig();
    const user = await rig.webshare.createSubUser({ label: 'gone', proxy_limit: 1 });
    const before = webshareCalls(rig, 'DELETE');
    const [, replay] = await sendTwice(rig, await slackRequest(`subuser delete ${user.id} confirm`));

    expect(slackText(replay)).toContain(ALREADY_HANDLED);
    expect(rig.sim.state.subUsers.has(user.id)).toBe(false);
    expect(webshareCalls(rig, 'DELETE') - before).toBe(1);
  });

  it.each(['status', 'alerts', 'help', 'refresh'])(
    'answers every copy of the read-only `%s`',
    async (text) => {
      const rig = await chatRig();
      await rig.tick();
      const [first, replay] = await sendTwice(rig, await slackRequest(text));

      expect(slackText(first)).not.toContain(ALREADY_HANDLED);
      expect(replay.body).toEqual(first.body);
    },
  );

  it('answers every copy of a read command, from KV', async () => {
    const rig = await chatRig();
    await rig.tick();
    const before = rig.sim.requests.length;
    const [first, replay] = await sendTwice(rig, await slackRequest('subusers'));
    expect(first.body.text).toContain('No sub-users');
    expect(replay.body).toEqual(first.body);
    expect(rig.sim.requests.length).toBe(before);
  });

  it('runs no mutating command, and says why, without the IDEMPOTENCY binding', async () => {
    const rig = await chatRig({ IDEMPOTENCY: undefined });
    const refused = await sendTwice(rig, await slackRequest('refresh confirm'));
    for (const answer of refused) expect(slackText(answer)).toContain('Nothing was run');
    expect(rig.sim.state.quotas.ondemandUsed).toBe(0);

    const [status] = await sendTwice(rig, await slackRequest('status'));
    expect(slackText(status)).toContain('No data yet');
  });
});

describe('chat-ops replays on Discord', () => {
  it('runs a verbatim replay of a `subuser create` interaction once, and says so', async () => {
    const rig = await chatRig();
    const interaction = commandInteraction(['subuser', 'create'], { label: 'Acme Corp', limit_gb: 2 });
    const [first, replay] = await sendTwice(rig, await discordRequest(rig, interaction));

    expect(first.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(replay.body.type).toBe(4);
    expect(replay.body.data.flags).toBe(64);
    expect(replay.body.data.embeds[0].title).toBe(ALREADY_HANDLED);
    expect(rig.sim.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(rig.sim.state.subUsers.size).toBe(1);
    // One edit of the deferred response: the first request's.
    expect(rig.discord.requests).toHaveLength(1);
    expect(rig.discord.requests[0]!.method).toBe('PATCH');
  });

  it('falls back to the body hash when an interaction has no id', async () => {
    const rig = await chatRig();
    const { id: _id, ...interaction } = commandInteraction(['subuser', 'create'], {
      label: 'no-id',
      limit_gb: 1,
    });
    const [, replay] = await sendTwice(rig, await discordRequest(rig, interaction));
    expect(replay.body.data.embeds[0].title).toBe(ALREADY_HANDLED);
    expect(rig.sim.state.subUsers.size).toBe(1);
  });

  it('answers every copy of a read command', async () => {
    const rig = await chatRig();
    const [first, replay] = await sendTwice(rig, await discordRequest(rig, commandInteraction(['subusers'])));
    expect([first.body.type, replay.body.type]).toEqual([4, 4]);
    expect(replay.body).toEqual(first.body);
  });
});
