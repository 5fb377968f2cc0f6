/**
 * A log and response scan over a representative run of every area: cron ticks with alerts going
 * out, the admin API (reads, writes, errors, upstream failures, a revoked key), the dashboard, both
 * signup hooks and both chat-ops adapters. Everything the worker says — console lines, response
 * bodies and headers, messages to Slack/Discord/webhook sinks, KV — is scanned for the Webshare API
 * key, the proxy passwords the simulator handed out, the webhook and signing secrets and the tokens.
 * A proxy password may appear only where the caller asked for a credential (proxy config, sub-user
 * resources, the signup response, the private reply to `subuser create`, the answer to
 * reset-password); nothing else may appear
 * anywhere, and logs may hold none of them.
 */
import { describe, expect, it } from 'vitest';
import { GIB_BYTES } from '../../sim';
import type { Env } from '../../src/env';
import {
  DISCORD_ADMIN,
  INTERACTION_TOKEN,
  SLACK_SECRET,
  callWorker,
  chatRig,
  commandInteraction,
  discordRequest,
  slackRequest,
  type ChatRig,
} from '../chatops/helpers';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import {
  PLANS,
  SIGNUP_SECRET,
  STRIPE_SECRET,
  newCustomerId,
  signupRequest,
  stripeEvent,
  stripeRequest,
} from '../hooks/helpers';
import { captureConsole, dumpKv } from '../reliability/helpers';
import { ADMIN_TOKEN, ORIGIN, READ_TOKEN, WEBSHARE_API_KEY } from './helpers';

const SLACK_ALERT_URL = 'https://slack.sink/services/T0001/B0001/slacksecrettoken123';
const DISCORD_ALERT_URL = 'https://discord.sink/api/webhooks/123/discordsecrettoken456';
const HOOK_URL = 'https://hook.sink/webshare-alerts';
const HOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** Secrets that no output may ever carry, with the name a failure reports. */
const FIXED_SECRETS: Record<string, string> = {
  'Webshare API key': WEBSHARE_API_KEY,
  ADMIN_TOKEN,
  ADMIN_READ_TOKEN: READ_TOKEN,
  SLACK_SIGNING_SECRET: SLACK_SECRET,
  SIGNUP_WEBHOOK_SECRET: SIGNUP_SECRET,
  'SIGNUP_WEBHOOK_SECRET key bytes': SIGNUP_SECRET.slice('whsec_'.length),
  STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
  ALERT_WEBHOOK_SECRET: HOOK_SECRET,
  'ALERT_WEBHOOK_SECRET key bytes': HOOK_SECRET.slice('whsec_'.length),
  'Slack webhook URL token': 'slacksecrettoken123',
  'Discord webhook URL token': 'discordsecrettoken456',
  'Discord interaction token': INTERACTION_TOKEN,
};

interface Output {
  label: string;
  text: string;
  /** The caller asked for a credential: proxy passwords are expected here. */
  credentials: boolean;
}

class Scan {
  readonly outputs: Output[] = [];
  readonly alertSinks = {
    slack: new RecordingSink(),
    discord: new RecordingSink(),
    hook: new RecordingSink(),
  };

  constructor(readonly rig: ChatRig) {
    routeOutbound({
      'webshare.sim': rig.sim.fetch,
      'hooks.slack.test': rig.slack.fetch,
      'discord.test': rig.discord.fetch,
      'slack.sink': this.alertSinks.slack.fetch,
      'discord.sink': this.alertSinks.discord.fetch,
      'hook.sink': this.alertSinks.hook.fetch,
    });
  }

  async send(label: string, request: Request, credentials = false): Promise<Response> {
    const slackBefore = this.rig.slack.requests.length;
    const discordBefore = this.rig.discord.requests.length;
    const response = await callWorker(this.rig.env, request);
    const text = await response.clone().text();
    const headers = JSON.stringify([...response.headers]);
    this.outputs.push({ label: `${label} → ${response.status}`, text: `${headers}\n${text}`, credentials });
    // Chat-ops answers that arrive later, via response_url or the interaction webhook.
    for (const sent of this.rig.slack.requests.slice(slackBefore)) {
      this.outputs.push({ label: `${label} (Slack follow-up)`, text: sent.body, credentials });
    }
    for (const sent of this.rig.discord.requests.slice(discordBefore)) {
      // The interaction token is in the URL Discord gave us; only the body is our output.
      this.outputs.push({ label: `${label} (Discord follow-up)`, text: sent.body, credentials });
    }
    return response;
  }

  admin(
    method: string,
    path: string,
    options: { json?: unknown; credentials?: boolean; token?: string } = {},
  ) {
    const headers: Record<string, string> = { Authorization: `Bearer ${options.token ?? ADMIN_TOKEN}` };
    if (options.json !== undefined) headers['Content-Type'] = 'application/json';
    return this.send(
      `${method} ${path}`,
      new Request(`${ORIGIN}${path}`, {
        method,
        headers,
        body: options.json === undefined ? undefined : JSON.stringify(options.json),
      }),
      options.credentials,
    );
  }

  /** Every proxy password the simulator ever handed out (account and sub-users, old and new). */
  passwords(seen: Set<string>): Set<string> {
    seen.add(this.rig.sim.state.config.password);
    for (const subUser of this.rig.sim.state.subUsers.values()) seen.add(subUser.proxy_password);
    return seen;
  }
}

function findings(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => value.length >= 6 && text.includes(value))
    .map(([name]) => name);
}

describe('secret scan over a representative run of every area', () => {
  const logs = captureConsole();

  it('never shows a key, secret, token or proxy password where it was not asked for', async () => {
    const rig = await chatRig({
      SIGNUP_WEBHOOK_SECRET: SIGNUP_SECRET,
      STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
      PLANS,
      ADMIN_READ_TOKEN: READ_TOKEN,
      SLACK_WEBHOOK_URL: SLACK_ALERT_URL,
      DISCORD_WEBHOOK_URL: DISCORD_ALERT_URL,
      ALERT_WEBHOOK_URL: HOOK_URL,
      ALERT_WEBHOOK_SECRET: HOOK_SECRET,
    } as Partial<Env>);
    const scan = new Scan(rig);
    const passwords = new Set<string>();
    const admin = scan.admin.bind(scan);

    // -- Cron: a healthy tick, then an alert firing to all three channels.
    rig.sim.control.setBandwidth({
      usedBytes: Math.round(0.95 * 50 * GIB_BYTES),
      limitBytes: 50 * GIB_BYTES,
    });
    await rig.tick();
    expect(scan.alertSinks.slack.requests.length).toBeGreaterThan(0);

    // -- Admin API: reads, credentials, writes, silences, errors.
    for (const path of [
      '/v1/status',
      '/v1/snapshots',
      '/v1/subscription',
      '/v1/replacement-info',
      '/v1/replacements',
      '/v1/silences',
    ])
      await admin('GET', path);
    await admin('GET', '/v1/proxy-config', { credentials: true });
    const created = await admin('POST', '/v1/subusers', {
      json: { label: 'scan-target', proxy_limit: 2 },
      credentials: true,
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: number }).id;
    scan.passwords(passwords);
    await admin('GET', '/v1/subusers', { credentials: true });
    await admin('GET', `/v1/subusers/${id}`, { credentials: true });
    await admin('PATCH', `/v1/subusers/${id}`, { json: { proxy_limit: 3 }, credentials: true });
    await admin('GET', `/v1/subusers/${id}/stats`);
    await admin('GET', `/v1/subusers/${id}/proxy-config`, { credentials: true });
    await admin('GET', `/v1/subusers/${id}/proxies`, { credentials: true });
    await admin('POST', `/v1/subusers/${id}/refresh`, { credentials: true });
    scan.passwords(passwords);
    const replaced = await admin('POST', '/v1/proxies/replace', {
      json: { ip_address: rig.sim.state.proxies.address(0) },
    });
    expect(replaced.status).toBeLessThan(300);
    await admin('POST', '/v1/proxy-list/refresh');
    const silenced = await admin('POST', '/v1/silences', {
      json: { matcher: { rule: 'bandwidth' }, duration_minutes: 30, comment: 'scan' },
    });
    expect(silenced.status).toBeLessThan(300);
    await admin('POST', '/v1/alerts/test');
    await admin('POST', '/v1/poll');
    await admin('GET', '/v1/status', { token: READ_TOKEN });
    await admin('POST', '/v1/subusers', { json: { label: 'x', proxy_limit: 1 }, token: READ_TOKEN });
    await admin('GET', '/v1/status', { token: `${ADMIN_TOKEN}x` });
    await admin('POST', '/v1/subusers', { json: { label: '', proxy_limit: -1, password: 'p' } });
    await admin('GET', '/v1/subusers/99999');
    rig.sim.control.inject({ path: '/api/subscription/', status: 500, times: 10 });
    await admin('GET', '/v1/subscription');
    rig.sim.control.inject({ path: '/api/proxy/config/', status: 200, malformedJson: true, times: 1 });
    await admin('GET', '/v1/proxy-config', { credentials: true });
    await admin('DELETE', `/v1/subusers/${id}`);

    // -- Public pages and the dashboard.
    for (const path of ['/healthz', '/openapi.json', '/docs', '/login']) {
      await scan.send(`GET ${path}`, new Request(`${ORIGIN}${path}`));
    }
    await scan.send(
      'GET / (bearer)',
      new Request(`${ORIGIN}/`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } }),
    );
    await scan.send(
      'POST /login',
      new Request(`${ORIGIN}/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
        redirect: 'manual',
      }),
    );

    // -- Signup hooks: credentials in the created answer only.
    const customer = newCustomerId();
    await scan.send(
      'signup created',
      signupRequest('customer.created', { customer_id: customer, plan: 'starter' }),
      true,
    );
    scan.passwords(passwords);
    await scan.send(
      'signup updated',
      signupRequest('customer.updated', { customer_id: customer, plan: 'pro' }),
    );
    await scan.send(
      'signup bad signature',
      signupRequest(
        'customer.created',
        { customer_id: customer, plan: 'starter' },
        { secret: 'whsec_' + btoa('x'.repeat(32)) },
      ),
    );
    await scan.send('signup invalid event', signupRequest('customer.created', { customer_id: '', plan: 42 }));
    await scan.send('signup deleted', signupRequest('customer.deleted', { customer_id: customer }));
    const stripeCustomer = newCustomerId();
    await scan.send(
      'stripe checkout',
      await stripeRequest(
        stripeEvent('checkout.session.completed', {
          id: 'cs_test_scan',
          object: 'checkout.session',
          customer: stripeCustomer,
          mode: 'subscription',
          status: 'complete',
          payment_status: 'paid',
          metadata: { plan: 'starter' },
        }),
      ),
      true,
    );
    scan.passwords(passwords);
    await scan.send(
      'stripe wrong secret',
      await stripeRequest(stripeEvent('customer.subscription.deleted', { customer: stripeCustomer }), {
        secret: 'whsec_wrong',
      }),
    );

    // -- Chat-ops: reads, the private credential reply, errors, bad signatures.
    for (const text of ['help', 'status', 'subusers', 'alerts', 'usage scan-target', 'nonsense command'])
      await scan.send(`slack ${text}`, await slackRequest(text));
    await scan.send('slack subuser create', await slackRequest('subuser create chat-target 1'), true);
    scan.passwords(passwords);
    await scan.send('slack bad signature', await slackRequest('status', { secret: 'wrong-secret-000000' }));
    await scan.send('discord status', await discordRequest(rig, commandInteraction(['status'])));
    await scan.send(
      'discord subusers',
      await discordRequest(rig, commandInteraction(['subusers'], {}, DISCORD_ADMIN)),
    );
    await scan.send(
      'discord subuser create',
      await discordRequest(
        rig,
        commandInteraction(['subuser', 'create'], { label: 'discord-target', limit_gb: 1 }),
      ),
      true,
    );
    scan.passwords(passwords);

    // -- Proxy access: authorised IPs, and password resets (the admin answer is the one credential).
    await admin('PATCH', '/v1/proxy-config', { json: { authorized_ips: ['203.0.113.50'] } });
    await admin('PATCH', '/v1/proxy-config', { json: { authorized_ips: ['10.0.0.0/8'] } });
    const resetRequest = () =>
      new Request(`${ORIGIN}/v1/proxy-config/reset-password`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Idempotency-Key': 'scan-reset-1' },
      });
    expect((await scan.send('POST /v1/proxy-config/reset-password', resetRequest(), true)).status).toBe(200);
    scan.passwords(passwords);
    await scan.send('POST /v1/proxy-config/reset-password (replay)', resetRequest(), true);
    await admin('GET', '/v1/status');
    await scan.send('slack authorize-ip', await slackRequest('authorize-ip add 203.0.113.51 confirm'));
    await scan.send('slack reset-password', await slackRequest('reset-password confirm in_channel'));
    scan.passwords(passwords);
    await scan.send(
      'discord reset-password',
      await discordRequest(rig, commandInteraction(['reset-password'], { confirm: true })),
    );
    scan.passwords(passwords);

    // -- Webshare trouble: the key is revoked mid-run.
    rig.sim.control.revokeKey();
    await admin('GET', '/v1/subscription');
    await rig.tick();
    await scan.send('GET /healthz (revoked)', new Request(`${ORIGIN}/healthz`));
    await admin('GET', '/v1/status');

    // -- The scan.
    expect(passwords.size).toBeGreaterThanOrEqual(7);
    const passwordSecrets = Object.fromEntries([...passwords].map((p, i) => [`proxy password #${i}`, p]));
    const everything = { ...FIXED_SECRETS, ...passwordSecrets };
    const problems: string[] = [];
    for (const output of scan.outputs) {
      const found = findings(output.text, output.credentials ? FIXED_SECRETS : everything);
      if (found.length) problems.push(`${output.label}: ${found.join(', ')}`);
    }
    for (const [name, sink] of Object.entries(scan.alertSinks)) {
      expect(sink.requests.length, name).toBeGreaterThan(0);
      for (const sent of sink.requests) {
        const found = findings(`${JSON.stringify(sent.headers)}\n${sent.body}`, everything);
        if (found.length) problems.push(`alert to ${name}: ${found.join(', ')}`);
      }
    }
    const logText = logs.lines.join('\n');
    expect(logs.lines.length).toBeGreaterThan(20);
    const inLogs = findings(logText, everything);
    if (inLogs.length) problems.push(`logs: ${inLogs.join(', ')}`);
    const inKv = findings(await dumpKv(), everything);
    if (inKv.length) problems.push(`KV: ${inKv.join(', ')}`);
    expect(problems).toEqual([]);

    // The scan can see: credential routes did carry passwords, so a leak elsewhere would show.
    const credentialText = scan.outputs
      .filter((o) => o.credentials)
      .map((o) => o.text)
      .join('\n');
    expect(findings(credentialText, passwordSecrets).length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
