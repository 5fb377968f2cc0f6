import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import type { Env } from '../../src/env';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { DISCORD_URL, HOOK_SECRET, HOOK_URL, SLACK_URL } from '../notifiers/fixtures';
import { Harness, STATE } from './harness';
import { T0 } from './snapshot-builder';
import { setNow } from '../helpers/clock';

const ADMIN = 'test-admin-token-0123456789';
const READER = 'test-read-token-0123456789';

async function call(
  method: string,
  path: string,
  options: { json?: unknown; token?: string; env?: Partial<Env> } = {},
): Promise<Response> {
  const app = createApp();
  const headers: Record<string, string> = { Authorization: `Bearer ${options.token ?? ADMIN}` };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const ctx = createExecutionContext();
  const env = { STATE, ADMIN_TOKEN: ADMIN, ADMIN_READ_TOKEN: READER, ...options.env } as Env;
  const response = await app.fetch(
    new Request(`https://worker.test${path}`, {
      method,
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const inOneHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe('/v1/silences', () => {
  it('creates, lists and deletes a silence', async () => {
    const created = await call('POST', '/v1/silences', {
      json: { matcher: { key: 'subuser:*' }, duration_minutes: 60, comment: 'migrating customers' },
    });
    expect(created.status).toBe(201);
    const silence = (await created.json()) as { id: string; ends_at: string };
    expect(silence).toMatchObject({ matcher: { key: 'subuser:*' }, comment: 'migrating customers' });
    expect(Date.parse(silence.ends_at) - Date.now()).toBeGreaterThan(59 * 60_000);

    const listed = await call('GET', '/v1/silences', { token: READER });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { silences: unknown[] }).silences).toEqual([silence]);

    expect((await call('DELETE', `/v1/silences/${silence.id}`)).status).toBe(204);
    expect((await call('DELETE', `/v1/silences/${silence.id}`)).status).toBe(404);
    expect(((await (await call('GET', '/v1/silences')).json()) as { silences: unknown[] }).silences).toEqual(
      [],
    );
  });

  it.each([
    [{ matcher: {}, duration_minutes: 5, comment: 'x' }, 'matcher'],
    [{ matcher: { rule: 'bandwidth' }, comment: 'x' }, 'ends_at'],
    [{ matcher: { rule: 'bandwidth' }, duration_minutes: 5, ends_at: inOneHour(), comment: 'x' }, 'ends_at'],
    [{ matcher: { rule: 'bandwidth' }, duration_minutes: 5, comment: '' }, 'comment'],
    [{ matcher: { rule: 'bandwidth' }, ends_at: '2020-01-01T00:00:00Z', comment: 'x' }, 'ends_at'],
    [{ matcher: { rule: 'bandwidth' }, ends_at: 'tomorrow', comment: 'x' }, 'ends_at'],
  ])('rejects %j naming %s', async (json, field) => {
    const response = await call('POST', '/v1/silences', { json });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { field: string }[] } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details.map((d) => d.field).join(' ')).toContain(field);
  });

  it('refuses the read-only token and a missing token for writes', async () => {
    const json = { matcher: { rule: 'bandwidth' }, duration_minutes: 5, comment: 'x' };
    expect((await call('POST', '/v1/silences', { json, token: READER })).status).toBe(403);
    expect((await call('POST', '/v1/silences', { json, token: 'wrong-token-0000000000' })).status).toBe(401);
  });

  it('a silence created through the API suppresses the engine’s messages', async () => {
    const h = new Harness();
    // The harness's ticks run from T0: the API is called at that time too.
    setNow(T0 - 30_000);
    await call('POST', '/v1/silences', {
      json: {
        matcher: { rule: 'bandwidth' },
        starts_at: new Date(T0 - 60_000).toISOString(),
        ends_at: new Date(T0 + 3_600_000).toISOString(),
        comment: 'expected spike',
      },
    });
    await h.next({ percent: 95 });
    expect(h.slack.requests).toHaveLength(0);
    expect(h.discord.requests).toHaveLength(0);
  });
});

describe('POST /v1/alerts/test', () => {
  it('sends to every configured channel and reports each result', async () => {
    const slack = new RecordingSink();
    const discord = new RecordingSink().respondWith({
      status: 404,
      body: '{"message": "Unknown Webhook", "code": 10015}',
    });
    const hook = new RecordingSink();
    routeOutbound({ 'slack.sink': slack.fetch, 'discord.sink': discord.fetch, 'hook.sink': hook.fetch });
    const response = await call('POST', '/v1/alerts/test', {
      env: {
        SLACK_WEBHOOK_URL: SLACK_URL,
        DISCORD_WEBHOOK_URL: DISCORD_URL,
        ALERT_WEBHOOK_URL: HOOK_URL,
        ALERT_WEBHOOK_SECRET: HOOK_SECRET,
      },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      results: [
        { channel: 'slack', outcome: 'delivered', status: 200, error: null },
        {
          channel: 'discord',
          outcome: 'undeliverable',
          status: 404,
          error: 'discord answered 404 (10015 Unknown Webhook)',
        },
        { channel: 'webhook', outcome: 'delivered', status: 200, error: null },
      ],
    });
    expect(text).not.toContain('slacksecrettoken123');
    expect(text).not.toContain('discordsecrettoken456');
    expect(slack.json<{ text: string }>(0).text).toMatch(/^🧪 TEST: /);
    const event = new Webhook(HOOK_SECRET).verify(
      hook.requests[0]?.body ?? '',
      hook.requests[0]?.headers ?? {},
    );
    expect(event).toMatchObject({ type: 'alert.test' });
  });

  it('lists channels that are not configured, naming the variable', async () => {
    const slack = new RecordingSink();
    routeOutbound({ 'slack.sink': slack.fetch });
    const response = await call('POST', '/v1/alerts/test', {
      env: { SLACK_WEBHOOK_URL: SLACK_URL, ALERT_WEBHOOK_URL: HOOK_URL },
    });
    expect(await response.json()).toEqual({
      results: [
        { channel: 'slack', outcome: 'delivered', status: 200, error: null },
        {
          channel: 'discord',
          outcome: 'not_configured',
          status: null,
          error: 'DISCORD_WEBHOOK_URL is not set',
        },
        {
          channel: 'webhook',
          outcome: 'not_configured',
          status: null,
          error: 'ALERT_WEBHOOK_SECRET is not set',
        },
      ],
    });
  });
});

describe('the OpenAPI document', () => {
  it('describes the alert routes', async () => {
    const response = await createApp().request('/openapi.json', {}, { STATE, ASSETS: env.ASSETS } as Env);
    const doc = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/v1/silences'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/v1/silences/{id}'] ?? {})).toEqual(['delete']);
    expect(Object.keys(doc.paths['/v1/alerts/test'] ?? {})).toEqual(['post']);
  });
});
