/**
 * Acting on an alert from Slack: the real alert engine posts a firing message with its buttons to a
 * recording Slack sink, and a click on one of them (the block_actions payload Slack would post,
 * built from that very message and signed the way Slack signs) goes through the real worker to
 * POST /chatops/slack/interactions. Its answer reaches a recording response_url.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { readSilences } from '../../src/alerts/silences';
import type { Env } from '../../src/env';
import { Harness, STATE } from '../alerts/harness';
import { T0, TICK_MS } from '../alerts/snapshot-builder';
import { setNow, testNow } from '../helpers/clock';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import {
  RESPONSE_URL,
  SLACK_ADMIN,
  SLACK_READER,
  SLACK_SECRET,
  callWorker,
  newTriggerId,
  nowSeconds,
  signedSlackPost,
  type SlackCallOptions,
} from './helpers';

const PUBLIC_URL = 'https://ops.example.com';
/** Clicks happen a minute after the alert fired, between two ticks. */
const CLICK_AT = T0 + 60_000;
const CHATOPS_ENV: Partial<Env> = {
  SLACK_SIGNING_SECRET: SLACK_SECRET,
  SLACK_ALLOWED_USERS: SLACK_ADMIN,
  SLACK_RESPONSE_URL_HOSTS: 'hooks.slack.test',
  PUBLIC_URL,
};

interface Button {
  type: string;
  action_id: string;
  value?: string;
  url?: string;
  text: { text: string };
}
interface Block {
  type: string;
  block_id?: string;
  elements?: (Button & { text: unknown })[];
}
interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** A bandwidth alert that fired (tick 0) and reached Slack with its buttons; now is a minute later. */
async function firingAlert(extraEnv: Partial<Env> = {}) {
  setNow(T0);
  const chatEnv = { ...CHATOPS_ENV, ...extraEnv };
  const h = new Harness(chatEnv);
  const responses = new RecordingSink();
  routeOutbound({
    'slack.sink': h.slack.fetch,
    'discord.sink': h.discord.fetch,
    'hook.sink': h.hook.fetch,
    'hooks.slack.test': responses.fetch,
  });
  await h.next({ percent: 85 });
  expect(h.slackHeadlines()).toEqual(['🟠 WARNING: Bandwidth at 85% of 50 GB']);
  setNow(CLICK_AT);
  return {
    h,
    responses,
    message: h.slack.json<SlackMessage>(0),
    env: { ...(env as unknown as Env), ...chatEnv },
  };
}

function actionsOf(message: SlackMessage): Block {
  const block = message.blocks.find((b) => b.type === 'actions');
  if (!block) throw new Error('the message has no buttons');
  return block;
}

/** The block_actions payload Slack posts when `user` clicks `actionId` on `message`. */
function click(
  message: SlackMessage,
  actionId: string,
  options: { user?: string; team?: string; triggerId?: string; responseUrl?: string } = {},
): Record<string, unknown> {
  const block = actionsOf(message);
  const button = block.elements!.find((e) => e.action_id === actionId)!;
  const team = options.team ?? 'T0001';
  return {
    type: 'block_actions',
    user: { id: options.user ?? SLACK_ADMIN, username: 'someone', team_id: team },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1764340000.000100', channel_id: 'C0001' },
    trigger_id: options.triggerId ?? newTriggerId(),
    team: { id: team, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: 'C0001', name: 'proxy-alerts' },
    message: { type: 'message', ts: '1764340000.000100', text: message.text, blocks: message.blocks },
    response_url: options.responseUrl ?? RESPONSE_URL,
    actions: [
      {
        action_id: button.action_id,
        block_id: block.block_id,
        text: button.text,
        ...(button.value === undefined ? {} : { value: button.value }),
        type: 'button',
        action_ts: `${nowSeconds()}.123456`,
      },
    ],
  };
}

async function post(testEnv: Env, payload: unknown, options: SlackCallOptions = {}) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const response = await callWorker(
    testEnv,
    await signedSlackPost('/chatops/slack/interactions', body, options),
  );
  return { status: response.status, raw: await response.text() };
}

describe('the buttons on a Slack alert', () => {
  it('silences the alert for an hour on a signed click from an allow-listed user, once however often it is delivered', async () => {
    const { h, responses, message, env: testEnv } = await firingAlert();
    const payload = click(message, 'silence_1h');
    for (let delivery = 0; delivery < 3; delivery++) {
      // Each delivery is signed afresh, as Slack signs a retry: only the click ids are the same.
      expect(await post(testEnv, payload)).toEqual({ status: 200, raw: '' });
    }

    const silences = await readSilences(STATE, testNow());
    expect(silences).toHaveLength(1);
    expect(silences[0]).toMatchObject({ matcher: { key: 'bandwidth' } });
    expect(Date.parse(silences[0]!.ends_at) - Date.parse(silences[0]!.starts_at)).toBe(3_600_000);
    // The copies were recognised: only the first click updated the message.
    expect(responses.requests).toHaveLength(1);

    // The engine now sends nothing for it: 95 % would have been an escalation.
    await h.next({ percent: 95 });
    expect(h.slack.requests).toHaveLength(1);
    expect(h.discord.requests).toHaveLength(1);
  });

  it('replaces the buttons through response_url with who silenced it until when, keeping the alert and the dashboard link', async () => {
    const { responses, message, env: testEnv } = await firingAlert();
    await post(testEnv, click(message, 'silence_1h'));

    expect(responses.requests).toHaveLength(1);
    expect(responses.requests[0]).toMatchObject({ method: 'POST', url: RESPONSE_URL });
    const replacement = responses.json<SlackMessage & { replace_original: boolean }>(0);
    expect(replacement.replace_original).toBe(true);
    const until = new Date(testNow() + 3_600_000);
    const hhmm = `${String(until.getUTCHours()).padStart(2, '0')}:${String(until.getUTCMinutes()).padStart(2, '0')}`;
    const note = `🔕 Silenced by <@${SLACK_ADMIN}> until`;
    expect(replacement.blocks.slice(0, 4)).toEqual(message.blocks.slice(0, 4));
    expect(replacement.blocks).toContainEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: expect.stringMatching(new RegExp(`^${note} .*${hhmm} UTC$`)) }],
    });
    expect(actionsOf(replacement).elements).toEqual([
      expect.objectContaining({ action_id: 'open_dashboard', url: `${PUBLIC_URL}/dashboard` }),
    ]);
    expect(replacement.text).toContain(note);
  });

  it('silences until resolved: the incident sends nothing more, its resolution is announced and ends the silence', async () => {
    const { h, responses, message, env: testEnv } = await firingAlert();
    const payload = click(message, 'silence_until_resolved');
    expect((await post(testEnv, payload)).status).toBe(200);
    expect((await post(testEnv, payload)).status).toBe(200);

    const silences = await readSilences(STATE, testNow());
    expect(silences).toHaveLength(1);
    expect(silences[0]!.matcher).toEqual({ key: 'bandwidth', incident: new Date(T0).toISOString() });
    expect(responses.json<SlackMessage>(0).text).toContain(`Silenced by <@${SLACK_ADMIN}> until it resolves`);

    await h.next({ percent: 95 }); // an escalation of the silenced incident: nothing
    expect(h.slack.requests).toHaveLength(1);
    await h.next({ percent: 10 }); // resolved: announced, and the silence is gone with the incident
    expect(h.slackHeadlines()).toEqual([
      '🟠 WARNING: Bandwidth at 85% of 50 GB',
      '✅ RESOLVED: Bandwidth at 85% of 50 GB', // the last title the channel saw
    ]);
    expect(await readSilences(STATE, T0 + 3 * TICK_MS)).toEqual([]);
    await h.next({ percent: 86 }); // a new incident is not covered
    expect(h.slackHeadlines()).toHaveLength(3);
  });

  it('adds no silence until resolved for an incident that already resolved, and tells only the clicker', async () => {
    const { h, responses, message, env: testEnv } = await firingAlert();
    await h.next({ percent: 10 });
    expect(h.slackHeadlines()[1]).toMatch(/^✅ RESOLVED/);

    expect((await post(testEnv, click(message, 'silence_until_resolved'))).status).toBe(200);
    expect(await readSilences(STATE, testNow())).toEqual([]);
    const refusal = responses.json<{ response_type: string; replace_original: boolean; text: string }>(0);
    expect(refusal).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(refusal.text).toContain('Already resolved');
  });

  it('changes nothing for a user outside SLACK_ALLOWED_USERS and tells only them why', async () => {
    const { h, responses, message, env: testEnv } = await firingAlert();
    expect(await post(testEnv, click(message, 'silence_1h', { user: SLACK_READER }))).toEqual({
      status: 200,
      raw: '',
    });

    expect(await readSilences(STATE, testNow())).toEqual([]);
    expect(responses.requests).toHaveLength(1);
    const refusal = responses.json<{ response_type: string; replace_original: boolean; text: string }>(0);
    expect(refusal).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(refusal.text).toContain('Not allowed');
    expect(refusal.text).toContain(`${SLACK_READER}`);
    await h.next({ percent: 95 });
    expect(h.slack.requests).toHaveLength(2);
  });

  it.each([
    ['unsigned', { omit: ['X-Slack-Signature' as const] }],
    ['signed with another secret', { secret: 'not-the-signing-secret' }],
    ['stale (6 minutes old)', { timestamp: Math.floor(CLICK_AT / 1000) - 360 }],
    [
      'tampered with after signing',
      { tamper: (body: string) => body.replace('silence_1h', 'silence_until_resolved') },
    ],
  ])('refuses a click that is %s with 401 and changes nothing', async (_name, options: SlackCallOptions) => {
    const { responses, message, env: testEnv } = await firingAlert();
    const { status, raw } = await post(testEnv, click(message, 'silence_1h'), options);
    expect(status).toBe(401);
    expect(JSON.parse(raw)).toMatchObject({ error: { code: 'invalid_signature' } });
    expect(await readSilences(STATE, testNow())).toEqual([]);
    expect(responses.requests).toHaveLength(0);
  });

  it('refuses a click from a workspace outside SLACK_ALLOWED_TEAMS with 403, and changes nothing', async () => {
    const { responses, message, env: testEnv } = await firingAlert({ SLACK_ALLOWED_TEAMS: 'T0001' });
    const { status, raw } = await post(testEnv, click(message, 'silence_1h', { team: 'TSTRANGER' }));
    expect(status).toBe(403);
    expect(JSON.parse(raw)).toMatchObject({ error: { code: 'forbidden' } });
    expect(await readSilences(STATE, testNow())).toEqual([]);
    expect(responses.requests).toHaveLength(0);
  });

  it('acknowledges a click on the dashboard link and changes nothing', async () => {
    const { responses, message, env: testEnv } = await firingAlert();
    expect(await post(testEnv, click(message, 'open_dashboard'))).toEqual({ status: 200, raw: '' });
    expect(await readSilences(STATE, testNow())).toEqual([]);
    expect(responses.requests).toHaveLength(0);
  });

  it('refuses a response_url outside the Slack hosts with 400 and silences nothing', async () => {
    const { responses, message, env: testEnv } = await firingAlert();
    const payload = click(message, 'silence_1h', { responseUrl: 'https://attacker.example/steal' });
    const { status, raw } = await post(testEnv, payload);
    expect(status).toBe(400);
    expect(raw).toContain('response_url');
    expect(await readSilences(STATE, testNow())).toEqual([]);
    expect(responses.requests).toHaveLength(0);
  });

  it('refuses a button value it did not draw with 400', async () => {
    const { message, env: testEnv } = await firingAlert();
    const payload = click(message, 'silence_1h');
    (payload.actions as { value: string }[])[0]!.value = '{"key":"subuser:*","rule":"x","since":"soon"}';
    const { status } = await post(testEnv, payload);
    expect(status).toBe(400);
    expect(await readSilences(STATE, testNow())).toEqual([]);
  });
});
