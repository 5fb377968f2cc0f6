/**
 * Property-based fuzzing (fast-check) of every JSON and form endpoint: the admin writes, the alert
 * routes, both signup hooks and both chat-ops adapters. Thousands of random bodies and headers in
 * total; the hooks and chat-ops also get correctly *signed* random bodies, so the fuzz reaches the
 * parsers behind the signature check. Properties:
 * - never a 5xx (the simulator is healthy, so a 5xx can only be our bug);
 * - a rejected request (4xx) has no partial side effect: Webshare's sub-users and replacement
 *   history are unchanged and KV is byte-for-byte the same.
 * Runs per endpoint are tuned to keep the file well under a minute on two shared cores.
 */
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/env';
import {
  DISCORD_ADMIN,
  SLACK_ADMIN,
  callWorker,
  chatRig,
  nowSeconds,
  slackSignature,
  slashForm,
  type ChatRig,
} from '../chatops/helpers';
import { PLANS, SIGNUP_SECRET, STRIPE_SECRET } from '../hooks/helpers';
import { dumpKv } from '../reliability/helpers';
import { ADMIN_TOKEN, ORIGIN } from './helpers';

const FUZZ_TIMEOUT_MS = 60_000;
const SEED = Number(process.env.FUZZ_SEED ?? 0x9e3779b9);
const stripe = new Stripe('sk_test_not_used_for_requests');
const encoder = new TextEncoder();

const HOOK_ENV: Partial<Env> = {
  SIGNUP_WEBHOOK_SECRET: SIGNUP_SECRET,
  STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
  PLANS,
};

// ---- Arbitraries ------------------------------------------------------------------------------------

/** Header-safe text (a Request refuses CR, LF and code points above 0xFF). */
const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 80,
});

const contentType = fc
  .oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    fc.constant('application/json; charset=utf-8'),
    fc.constant('text/plain'),
    fc.constant('application/x-www-form-urlencoded'),
    fc.constant('multipart/form-data; boundary=x'),
    fc.constant(undefined),
    headerText,
  )
  .map((value) => value as string | undefined);

/** Any JSON, values shaped like ours (known keys, hostile values), or text that is not JSON at all. */
function bodyFor(keys: string[]): fc.Arbitrary<string> {
  const hostile = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ maxLength: 300 }),
    fc.integer(),
    fc.double(),
    fc.constantFrom(-1, 0, 1e308, Number.MAX_SAFE_INTEGER + 2, '', ' ', '0', 'US', 'ZZ', null, true, [], {}),
    fc.constantFrom('10.0.0.1', '203.0.113.1', '0.0.0.0/0', '::1', '1.2.3.4/33', '999.1.1.1'),
  );
  const shaped = fc
    .dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 12 })), hostile, { maxKeys: 6 })
    .map((value) => JSON.stringify(value));
  const record = fc
    .record(Object.fromEntries(keys.map((key) => [key, hostile])), { requiredKeys: [] })
    .map((value) => JSON.stringify(value));
  return fc.oneof(
    { weight: 3, arbitrary: record },
    { weight: 2, arbitrary: shaped },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 400 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '{', '[]', 'null', '{"a":', '\u0000', '{"__proto__":{"x":1}}'),
    },
  );
}

// ---- Invariants -------------------------------------------------------------------------------------

interface Observed {
  subUsers: string;
  replacements: string;
  kv: string;
}

async function observe(rig: ChatRig): Promise<Observed> {
  return {
    subUsers: JSON.stringify([...rig.sim.state.subUsers.values()]),
    replacements: JSON.stringify(rig.sim.state.replacements),
    kv: await dumpKv(),
  };
}

/** Calls the worker and checks the two properties; returns the status for the caller's own checks. */
async function check(rig: ChatRig, request: Request, label: string): Promise<number> {
  const before = await observe(rig);
  const response = await callWorker(rig.env, request);
  const text = await response.text();
  expect(response.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) {
    const after = await observe(rig);
    expect(after.subUsers, `${label}: sub-users changed on a ${response.status}`).toBe(before.subUsers);
    expect(after.replacements, `${label}: replacements changed on a ${response.status}`).toBe(
      before.replacements,
    );
    expect(after.kv, `${label}: KV changed on a ${response.status}`).toBe(before.kv);
  }
  return response.status;
}

// ---- Admin API ----------------------------------------------------------------------------------------

const ADMIN_WRITES = [
  {
    method: 'POST',
    path: '/v1/subusers',
    keys: ['label', 'proxy_limit', 'max_thread_count', 'proxy_countries'],
    runs: 200,
  },
  {
    method: 'PATCH',
    path: '/v1/subusers/{id}',
    keys: ['label', 'proxy_limit', 'max_thread_count', 'proxy_countries'],
    runs: 200,
  },
  {
    method: 'POST',
    path: '/v1/proxies/replace',
    keys: ['ip_address', 'ip_range', 'proxy_address'],
    runs: 150,
  },
  {
    method: 'POST',
    path: '/v1/silences',
    keys: ['key', 'rule', 'starts_at', 'ends_at', 'duration_minutes', 'comment'],
    runs: 200,
  },
  { method: 'POST', path: '/v1/alerts/test', keys: ['channel'], runs: 60 },
  { method: 'POST', path: '/v1/proxy-list/refresh', keys: ['confirm'], runs: 40 },
  { method: 'POST', path: '/v1/subusers/{id}/refresh', keys: ['confirm'], runs: 40 },
  { method: 'POST', path: '/v1/poll', keys: ['scheduled_time'], runs: 20 },
];

describe('fuzzing the admin API', () => {
  let rig: ChatRig;
  let subUserId: number;
  beforeEach(async () => {
    rig = await chatRig(HOOK_ENV);
    subUserId = (await rig.webshare.createSubUser({ label: 'fuzz-target', proxy_limit: 1 })).id;
    rig.sim.control.clearRequests();
  });

  it.each(ADMIN_WRITES)(
    '$method $path: never a 5xx, no side effect when refused ($runs runs)',
    async ({ method, path, keys, runs }) => {
      const ids = fc.oneof(
        fc.constant(() => String(subUserId)),
        fc.constantFrom('0', '-1', 'abc', '99999999', '1e3', '%00').map((v) => () => v),
      );
      await fc.assert(
        fc.asyncProperty(
          bodyFor(keys),
          contentType,
          fc.option(headerText),
          ids,
          async (body, type, idempotencyKey, id) => {
            const headers: Record<string, string> = { Authorization: `Bearer ${ADMIN_TOKEN}` };
            if (type !== undefined) headers['Content-Type'] = type;
            if (idempotencyKey !== null) headers['Idempotency-Key'] = idempotencyKey;
            const url = `${ORIGIN}${path.replace('{id}', id())}`;
            await check(
              rig,
              new Request(url, { method, headers, body }),
              `${method} ${path} ${body.slice(0, 120)}`,
            );
          },
        ),
        { numRuns: runs, seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

// ---- Signup and Stripe hooks ----------------------------------------------------------------------

const SIGNUP_TYPES = ['customer.created', 'customer.updated', 'customer.deleted'];
const STRIPE_TYPES = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
];

const signupBody = fc.oneof(
  bodyFor(['type', 'timestamp', 'data']),
  fc
    .record({
      type: fc.oneof(fc.constantFrom(...SIGNUP_TYPES), fc.string({ maxLength: 20 })),
      timestamp: fc.oneof(
        fc.constant(new Date().toISOString()),
        fc.string({ maxLength: 30 }),
        fc.jsonValue(),
      ),
      data: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.dictionary(
          fc.constantFrom('customer_id', 'plan', 'email'),
          fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue()),
          {
            maxKeys: 3,
          },
        ),
      ),
    })
    .map((envelope) => JSON.stringify(envelope)),
);

const stripeBody = fc.oneof(
  bodyFor(['id', 'type', 'data', 'object', 'created']),
  fc
    .record({
      id: fc.oneof(
        fc.string({ maxLength: 300 }).map((s) => `evt_${s}`),
        fc.jsonValue(),
      ),
      object: fc.constant('event'),
      type: fc.oneof(fc.constantFrom(...STRIPE_TYPES), fc.string({ maxLength: 30 })),
      created: fc.oneof(fc.integer(), fc.jsonValue()),
      data: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record({
          object: fc.dictionary(
            fc.constantFrom(
              'id',
              'customer',
              'mode',
              'status',
              'metadata',
              'items',
              'subscription',
              'object',
            ),
            fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 300 })),
            { maxKeys: 6 },
          ),
        }),
      ),
    })
    .map((event) => JSON.stringify(event)),
);

function signedSignup(body: string, id: string): Request {
  const signedAt = new Date();
  return new Request(`${ORIGIN}/hooks/signup`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
      'webhook-signature': new Webhook(SIGNUP_SECRET).sign(id, signedAt, body),
    },
    body,
  });
}

async function signedStripe(body: string): Promise<Request> {
  const header = await stripe.webhooks.generateTestHeaderStringAsync({
    payload: body,
    secret: STRIPE_SECRET,
  });
  return new Request(`${ORIGIN}/hooks/stripe`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': header },
    body,
  });
}

describe('fuzzing the signup hooks', () => {
  let rig: ChatRig;
  beforeEach(async () => {
    rig = await chatRig(HOOK_ENV);
  });

  it(
    'POST /hooks/signup, signed random deliveries: never a 5xx, no side effect when refused',
    async () => {
      const ids = fc.oneof(
        fc.uuid().map((u) => `msg_${u}`),
        fc
          .string({ minLength: 1, maxLength: 300 })
          .filter(
            (s) =>
              !/[\r\n\0]/.test(s) && [...s].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) <= 0x7e),
          ),
      );
      await fc.assert(
        fc.asyncProperty(signupBody, ids, async (body, id) => {
          await check(rig, signedSignup(body, id), `signup ${body.slice(0, 120)}`);
        }),
        { numRuns: 500, seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'POST /hooks/stripe, signed random events: never a 5xx, no side effect when refused',
    async () => {
      await fc.assert(
        fc.asyncProperty(stripeBody, async (body) => {
          await check(rig, await signedStripe(body), `stripe ${body.slice(0, 120)}`);
        }),
        { numRuns: 500, seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it.each(['/hooks/signup', '/hooks/stripe'])(
    '%s, unsigned random bodies and headers: always 401',
    async (path) => {
      const headerNames = fc.constantFrom(
        'webhook-id',
        'webhook-timestamp',
        'webhook-signature',
        'Stripe-Signature',
        'Content-Type',
        'Content-Length',
      );
      await fc.assert(
        fc.asyncProperty(
          bodyFor(['type', 'data', 'id']),
          fc.dictionary(headerNames, headerText, { maxKeys: 4 }),
          async (body, headers) => {
            delete (headers as Record<string, string>)['Content-Length'];
            const status = await check(
              rig,
              new Request(`${ORIGIN}${path}`, { method: 'POST', headers, body }),
              `${path} ${JSON.stringify(headers)}`,
            );
            expect([400, 401, 413, 415]).toContain(status);
          },
        ),
        { numRuns: 200, seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

// ---- Chat-ops -----------------------------------------------------------------------------------------

const COMMAND_WORDS = [
  'help',
  'status',
  'usage',
  'refresh',
  'replace',
  'subusers',
  'subuser',
  'alerts',
  'silence',
  'confirm',
  'in_channel',
];

const commandText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...COMMAND_WORDS),
        fc.string({ maxLength: 20 }),
        fc.integer().map(String),
        fc.constantFrom('10.0.0.1', '1h', '-5m', '99999d', 'bandwidth'),
      ),
      {
        maxLength: 5,
      },
    )
    .map((words) => words.join(' ')),
);

async function signedSlack(body: string): Promise<Request> {
  const timestamp = nowSeconds();
  return new Request(`${ORIGIN}/chatops/slack`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': await slackSignature('slack-signing-secret-5f4e3d2c1b0a', timestamp, body),
    },
    body,
  });
}

async function signedDiscord(rig: ChatRig, body: string): Promise<Request> {
  const timestamp = String(nowSeconds());
  const signature = new Uint8Array(
    await crypto.subtle.sign('Ed25519', rig.keys.privateKey, encoder.encode(timestamp + body)),
  );
  return new Request(`${ORIGIN}/chatops/discord`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Signature-Ed25519': [...signature].map((b) => b.toString(16).padStart(2, '0')).join(''),
      'X-Signature-Timestamp': timestamp,
    },
    body,
  });
}

const discordOption: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  option: fc.record(
    {
      name: fc.oneof(
        fc.constantFrom(...COMMAND_WORDS, 'id', 'label', 'ip', 'duration', 'alert'),
        fc.string({ maxLength: 12 }),
      ),
      type: fc.oneof(fc.integer({ min: 1, max: 11 }), fc.jsonValue()),
      value: fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.boolean(), fc.jsonValue()),
      options: fc.array(tie('option'), { maxLength: 2 }),
    },
    { requiredKeys: ['name'] },
  ),
})).option;

const discordBody = fc.oneof(
  bodyFor(['type', 'data', 'member', 'token', 'application_id']),
  fc
    .record({
      type: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.jsonValue()),
      id: fc.string({ maxLength: 20 }),
      application_id: fc.constant('300000000000000003'),
      token: fc.string({ maxLength: 80 }),
      version: fc.constant(1),
      member: fc.oneof(fc.constant({ user: { id: DISCORD_ADMIN } }), fc.jsonValue()),
      data: fc.oneof(
        fc.record({
          name: fc.constant('webshare'),
          type: fc.constant(1),
          options: fc.array(discordOption, { maxLength: 2 }),
        }),
        fc.jsonValue(),
      ),
    })
    .map((interaction) => JSON.stringify(interaction)),
);

describe('fuzzing chat-ops', () => {
  let rig: ChatRig;
  beforeEach(async () => {
    rig = await chatRig(HOOK_ENV);
    await rig.tick();
  });

  it(
    'POST /chatops/slack, signed random forms and commands: never a 5xx, no side effect when refused',
    async () => {
      const form = fc.oneof(
        {
          weight: 3,
          arbitrary: fc
            .tuple(commandText, fc.constantFrom(SLACK_ADMIN, 'UREADER002', 'UNOBODY'))
            .map(([text, user]) => slashForm(text, user)),
        },
        {
          weight: 1,
          arbitrary: fc
            .dictionary(
              fc.constantFrom(
                'command',
                'text',
                'user_id',
                'response_url',
                'team_id',
                'ssl_check',
                'payload',
              ),
              fc.string({ maxLength: 300 }),
              { maxKeys: 6 },
            )
            .map((fields) => new URLSearchParams(fields).toString()),
        },
        { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
      );
      await fc.assert(
        fc.asyncProperty(form, async (body) => {
          await check(rig, await signedSlack(body), `slack ${body.slice(0, 160)}`);
        }),
        { numRuns: 500, seed: SEED },
      );
      // Follow-ups only ever went to the allow-listed response_url host.
      expect(rig.slack.requests.every((r) => new URL(r.url).host === 'hooks.slack.test')).toBe(true);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'POST /chatops/discord, signed random interactions: never a 5xx, no side effect when refused',
    async () => {
      await fc.assert(
        fc.asyncProperty(discordBody, async (body) => {
          await check(rig, await signedDiscord(rig, body), `discord ${body.slice(0, 160)}`);
        }),
        { numRuns: 500, seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
