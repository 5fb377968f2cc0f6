/**
 * Chat-ops test rig: the real worker, real KV, the Webshare simulator, and recording sinks standing
 * in for Slack's response_url and Discord's webhook API. Requests are signed exactly as Slack (HMAC
 * over `v0:{ts}:{body}`) and Discord (Ed25519 over `{ts}{body}`, with a key pair made here) sign
 * them — with crypto.subtle directly, not with the code under test.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import type { Simulator } from '../../sim';
import type { Env } from '../../src/env';
import worker from '../../src/index';
import { WebshareClient } from '../../src/webshare/v1/client';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { pollerRig } from '../poller/helpers';

export const SLACK_SECRET = 'slack-signing-secret-5f4e3d2c1b0a';
export const SLACK_ADMIN = 'UADMIN0001';
export const SLACK_READER = 'UREADER002';
export const DISCORD_ADMIN = '200000000000000001';
export const DISCORD_READER = '200000000000000002';
export const DISCORD_APP_ID = '300000000000000003';
export const RESPONSE_URL = 'https://hooks.slack.test/commands/T0001/1234/abcdef';
export const DISCORD_API = 'https://discord.test/api/v10';
export const API_KEY = 'test-api-key-9f8e7d6c';

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface ChatRig {
  sim: Simulator;
  env: Env;
  /** Slack's response_url host. */
  slack: RecordingSink;
  /** Discord's API host (interaction webhooks). */
  discord: RecordingSink;
  keys: CryptoKeyPair;
  publicKeyHex: string;
  /** Runs the real cron once, now, so KV holds a snapshot (and alert state). */
  tick(): Promise<void>;
  /** The real Webshare client against the simulator, for setting up sub-users. */
  webshare: WebshareClient;
}

export async function chatRig(extraEnv: Partial<Env> = {}): Promise<ChatRig> {
  const keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const publicKeyHex = hex((await crypto.subtle.exportKey('raw', keys.publicKey)) as ArrayBuffer);
  const chatEnv: Partial<Env> = {
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_ALLOWED_USERS: `${SLACK_ADMIN}, UOTHER0003`,
    SLACK_RESPONSE_URL_HOSTS: 'hooks.slack.test',
    DISCORD_PUBLIC_KEY: publicKeyHex,
    DISCORD_APPLICATION_ID: DISCORD_APP_ID,
    DISCORD_ALLOWED_USERS: DISCORD_ADMIN,
    DISCORD_API_BASE_URL: DISCORD_API,
    ...extraEnv,
  };
  const rig = pollerRig({}, chatEnv);
  const slack = new RecordingSink();
  const discord = new RecordingSink();
  routeOutbound({
    'webshare.sim': rig.sim.fetch,
    'hooks.slack.test': slack.fetch,
    'discord.test': discord.fetch,
  });
  return {
    sim: rig.sim,
    env: rig.env,
    slack,
    discord,
    keys,
    publicKeyHex,
    tick: () => rig.tick(Date.now()),
    webshare: new WebshareClient({ apiKey: API_KEY, baseUrl: 'https://webshare.sim', sleep: async () => {} }),
  };
}

/** Calls the real worker and waits for its waitUntil work (the deferred answers). */
export async function callWorker(env: Env, request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

// ---- Slack ----------------------------------------------------------------------------------------

export async function slackSignature(
  secret: string,
  timestamp: number | string,
  body: string,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return `v0=${hex(await crypto.subtle.sign('HMAC', key, encoder.encode(`v0:${timestamp}:${body}`)))}`;
}

/** A slash-command form as Slack posts it. */
export function slashForm(text: string, user = SLACK_ADMIN, responseUrl = RESPONSE_URL): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0001',
    team_domain: 'acme',
    channel_id: 'C0001',
    channel_name: 'proxy-ops',
    user_id: user,
    user_name: 'someone',
    command: '/webshare',
    text,
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: newTriggerId(),
  }).toString();
}

/**
 * Slack gives every invocation its own trigger_id, and the worker runs a mutating command once per
 * id (Durable Object records outlive each test), so each form gets a fresh one, shaped like Slack's.
 */
export function newTriggerId(): string {
  const random = crypto.randomUUID().replaceAll('-', '');
  return `13345224609.738474920.${random}`;
}

export interface SlackCallOptions {
  user?: string;
  responseUrl?: string;
  timestamp?: number;
  secret?: string;
  /** Changes the body after signing. */
  tamper?: (body: string) => string;
  headers?: Record<string, string>;
  omit?: ('X-Slack-Signature' | 'X-Slack-Request-Timestamp')[];
  body?: string;
}

export async function slackRequest(text: string, options: SlackCallOptions = {}): Promise<Request> {
  const body = options.body ?? slashForm(text, options.user, options.responseUrl);
  return signedSlackPost('/chatops/slack', body, options);
}

/** `body` POSTed to a Slack chat-ops route, signed (or not, or tampered with) as `options` say. */
export async function signedSlackPost(
  path: string,
  body: string,
  options: Omit<SlackCallOptions, 'body' | 'user' | 'responseUrl'> = {},
): Promise<Request> {
  const timestamp = options.timestamp ?? nowSeconds();
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': await slackSignature(options.secret ?? SLACK_SECRET, timestamp, body),
    ...options.headers,
  };
  for (const name of options.omit ?? []) delete headers[name];
  return new Request(`https://worker.test${path}`, {
    method: 'POST',
    headers,
    body: options.tamper ? options.tamper(body) : body,
  });
}

export async function slack(rig: ChatRig, text: string, options: SlackCallOptions = {}) {
  const response = await callWorker(rig.env, await slackRequest(text, options));
  const raw = await response.text();
  return { status: response.status, raw, body: raw ? (JSON.parse(raw) as Record<string, any>) : null };
}

/** What Slack gets at once for a command that calls Webshare. */
export const SLACK_ACK = { response_type: 'ephemeral', text: 'Working on it…' };

/** The one deferred answer Slack's response_url received. */
export function slackDeferred(rig: ChatRig): Record<string, any> {
  expect(rig.slack.requests).toHaveLength(1);
  expect(rig.slack.requests[0]).toMatchObject({ method: 'POST', url: RESPONSE_URL });
  return rig.slack.json(0);
}

/** Slack text with its three mrkdwn entities decoded, as a Slack client shows it. */
export function plain(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** Requests the simulator received (optionally of one method). */
export function webshareCalls(rig: ChatRig, method?: string): number {
  return rig.sim.requests.filter((r) => method === undefined || r.method === method).length;
}

// ---- Discord --------------------------------------------------------------------------------------

export interface DiscordCallOptions {
  keys?: CryptoKeyPair;
  timestamp?: number;
  tamper?: (body: string) => string;
  omit?: ('X-Signature-Ed25519' | 'X-Signature-Timestamp')[];
  headers?: Record<string, string>;
}

export async function discordRequest(
  rig: ChatRig,
  interaction: unknown,
  options: DiscordCallOptions = {},
): Promise<Request> {
  const body = JSON.stringify(interaction);
  const timestamp = String(options.timestamp ?? nowSeconds());
  const signature = await crypto.subtle.sign(
    'Ed25519',
    (options.keys ?? rig.keys).privateKey,
    encoder.encode(timestamp + body),
  );
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Signature-Ed25519': hex(signature),
    'X-Signature-Timestamp': timestamp,
    ...options.headers,
  };
  for (const name of options.omit ?? []) delete headers[name];
  return new Request('https://worker.test/chatops/discord', {
    method: 'POST',
    headers,
    body: options.tamper ? options.tamper(body) : body,
  });
}

export async function discord(rig: ChatRig, interaction: unknown, options: DiscordCallOptions = {}) {
  const response = await callWorker(rig.env, await discordRequest(rig, interaction, options));
  const raw = await response.text();
  return { status: response.status, raw, body: raw ? (JSON.parse(raw) as Record<string, any>) : null };
}

export const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDpzZWNyZXQtdG9rZW4';

/** An application command interaction for `/webshare <path…>` with option values, as Discord sends it. */
export function commandInteraction(
  path: string[],
  values: Record<string, string | number | boolean> = {},
  user = DISCORD_ADMIN,
): Record<string, unknown> {
  const leaf = Object.entries(values).map(([name, value]) => ({
    name,
    type: typeof value === 'boolean' ? 5 : typeof value === 'number' ? (Number.isInteger(value) ? 4 : 10) : 3,
    value,
  }));
  let options: unknown[] = leaf;
  for (let i = path.length - 1; i >= 0; i--) {
    options = [{ name: path[i], type: i === path.length - 1 ? 1 : 2, options }];
  }
  return {
    type: 2,
    id: newSnowflake(),
    application_id: DISCORD_APP_ID,
    token: INTERACTION_TOKEN,
    version: 1,
    guild_id: '500000000000000005',
    channel_id: '600000000000000006',
    member: { user: { id: user, username: 'someone' }, roles: [] },
    data: { id: '700000000000000007', name: 'webshare', type: 1, options },
  };
}

/** Every interaction has its own snowflake id; mutating commands run once per id. */
function newSnowflake(): string {
  const digits = crypto.getRandomValues(new Uint32Array(2));
  return `4${String(digits[0]).padStart(10, '0')}${String(digits[1]! % 10_000_000).padStart(7, '0')}`;
}

export const PING = {
  type: 1,
  id: '400000000000000009',
  application_id: DISCORD_APP_ID,
  token: INTERACTION_TOKEN,
  version: 1,
};
