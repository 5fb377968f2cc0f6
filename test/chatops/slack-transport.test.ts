import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import {
  API_KEY,
  SLACK_ACK,
  chatRig,
  nowSeconds,
  plain,
  slack,
  slackDeferred,
  slackRequest,
  webshareCalls,
} from './helpers';

describe('POST /chatops/slack: signatures', () => {
  it('answers a request signed as Slack signs it', async () => {
    const rig = await chatRig();
    const { status, body } = await slack(rig, 'help');
    expect(status).toBe(200);
    expect(body).toMatchObject({ response_type: 'ephemeral', blocks: expect.any(Array) });
    expect(plain(body!.text)).toContain('subuser create <label> <limit-GB> [threads]');
  });

  it.each([
    ['a tampered body', { tamper: (body: string) => body.replace('text=refresh', 'text=status') }],
    ['the wrong signing secret', { secret: 'some-other-signing-secret' }],
    // Getters: the table is built when the file loads, and on a busy machine seconds pass before a case
    // runs — a fixed "301 s ahead" would drift back inside the window.
    [
      'a timestamp more than 5 minutes old',
      {
        get timestamp() {
          return nowSeconds() - 301;
        },
      },
    ],
    [
      'a timestamp more than 5 minutes ahead',
      {
        get timestamp() {
          return nowSeconds() + 301;
        },
      },
    ],
    ['no X-Slack-Signature', { omit: ['X-Slack-Signature' as const] }],
    ['no X-Slack-Request-Timestamp', { omit: ['X-Slack-Request-Timestamp' as const] }],
    ['a malformed signature', { headers: { 'X-Slack-Signature': 'v0=zz' } }],
    [
      'a signature of the right length but wrong value',
      { headers: { 'X-Slack-Signature': `v0=${'0'.repeat(64)}` } },
    ],
  ])('rejects %s with 401 and runs nothing', async (_name, options) => {
    const rig = await chatRig();
    const { status, body } = await slack(rig, 'refresh confirm', options);
    expect(status).toBe(401);
    expect(body!.error.code).toBe('invalid_signature');
    expect(JSON.stringify(body)).not.toContain(rig.env.SLACK_SIGNING_SECRET!);
    expect(webshareCalls(rig)).toBe(0);
    expect(rig.slack.requests).toHaveLength(0);
  });

  it('accepts a timestamp just inside the window', async () => {
    const rig = await chatRig();
    expect((await slack(rig, 'help', { timestamp: nowSeconds() - 290 })).status).toBe(200);
  });

  it('answers 503 naming SLACK_SIGNING_SECRET when it is not set', async () => {
    const rig = await chatRig({ SLACK_SIGNING_SECRET: '' });
    const { status, body } = await slack(rig, 'help');
    expect(status).toBe(503);
    expect(body!.error).toMatchObject({
      code: 'not_configured',
      details: { variable: 'SLACK_SIGNING_SECRET' },
    });
  });

  it('answers a signed ssl_check with an empty 200', async () => {
    const rig = await chatRig();
    const { status, raw } = await slack(rig, '', { body: 'ssl_check=1&token=legacy-verification-token' });
    expect(status).toBe(200);
    expect(raw).toBe('');
  });

  it('answers a signed body that is not a slash command with 400', async () => {
    const rig = await chatRig();
    const { status, body } = await slack(rig, '', { body: 'hello=world' });
    expect(status).toBe(400);
    expect(body!.error.code).toBe('invalid_request');
  });

  it('ignores a Slack retry of a mutating command: nothing runs twice', async () => {
    const rig = await chatRig();
    const first = await slack(rig, 'refresh confirm');
    expect(first.body).toEqual(SLACK_ACK);
    expect(rig.sim.state.quotas.ondemandUsed).toBe(1);
    const retry = await slack(rig, 'refresh confirm', {
      headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' },
    });
    expect(retry).toMatchObject({ status: 200, raw: '' });
    expect(rig.sim.state.quotas.ondemandUsed).toBe(1);
    expect(rig.slack.requests).toHaveLength(1);
  });
});

describe('POST /chatops/slack: deferred answers', () => {
  it('refuses to run a slow command whose response_url is not an allowed host', async () => {
    const rig = await chatRig();
    const { body } = await slack(rig, 'refresh confirm', { responseUrl: 'https://internal.example/steal' });
    expect(body!.text).toContain('not a Slack URL, so nothing was run');
    expect(rig.sim.state.quotas.ondemandUsed).toBe(0);
    expect(rig.slack.requests).toHaveLength(0);
  });

  it('allows only hooks.slack.com when SLACK_RESPONSE_URL_HOSTS is unset', async () => {
    const rig = await chatRig({ SLACK_RESPONSE_URL_HOSTS: '' });
    const { body } = await slack(rig, 'subuser create acme 1');
    expect(body!.text).toContain('not a Slack URL');
    expect(webshareCalls(rig)).toBe(0);
  });

  it('reports a Webshare failure in the deferred answer without leaking the key', async () => {
    const rig = await chatRig();
    rig.sim.control.revokeKey();
    await slack(rig, 'subuser create acme 1');
    const answer = slackDeferred(rig);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('`subuser create` failed');
    expect(answer.text).toContain('WEBSHARE_API_KEY');
    expect(JSON.stringify(answer)).not.toContain(API_KEY);
  });

  it('retries the response_url once after a 5xx', async () => {
    const rig = await chatRig();
    rig.slack.respondWith(503);
    await slack(rig, 'subuser create acme 1');
    expect(rig.slack.requests).toHaveLength(2);
    expect(rig.slack.json(0)).toEqual(rig.slack.json(1));
  });

  it('acknowledges at once and posts the answer when the slow work is done', async () => {
    const rig = await chatRig();
    rig.sim.control.inject({ path: '/api/subuser/', delayMs: 1500 });
    const ctx = createExecutionContext();
    const started = Date.now();
    const response = await worker.fetch(await slackRequest('subuser create acme 1'), rig.env, ctx);
    expect(await response.json()).toEqual(SLACK_ACK);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(rig.slack.requests).toHaveLength(0);
    await waitOnExecutionContext(ctx);
    expect(slackDeferred(rig).text).toContain('Created sub-user `acme`');
  });
});
