/**
 * Every v2/v3 example body we hold (fixtures/v2, sources in its README) parses through the schema of
 * the endpoint the worker calls, and normalises into the shapes the rest of the worker reads.
 */
import { describe, expect, it } from 'vitest';
import { parseFieldErrors } from '../../src/webshare/field-errors';
import {
  statsWindow,
  toListedSubUser,
  toProxyStats,
  toReplacementInfo,
  toSubscription,
  V2_BYTES_PER_GB,
} from '../../src/webshare/v2/normalise';
import {
  V2IpAuthorizationPageSchema,
  V2IpAuthorizationSchema,
  V2ProxyConfigObjectSchema,
  V2ProxyConfigV3Schema,
  V2ProxyListStatusSchema,
  V2ProxyPageSchema,
  V2ReplacedProxyPageSchema,
  V2ReplacedProxySchema,
  V2ReplacementPageSchema,
  V2ReplacementSchema,
} from '../../src/webshare/v2/schemas';
import {
  V2AggregateStatsReader,
  V2PlanReader,
  V2ProxyValidityPageReader,
  V2SubscriptionReader,
  V2SubUserPageReader,
  V2SubUserReader,
} from '../../src/webshare/v2/readers';
import { pageSchema } from '../../src/webshare/page-schema';
import type { ResponseParser } from '../../src/webshare/transport';
import { V2PlanSchema } from './twins/v2';

/** The parsed value, or the refused fields' paths as the error. */
function parseWith<T>(parser: ResponseParser<T>, value: unknown): T {
  const parsed = parser.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new Error(`refused at ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
}

const fixtures = import.meta.glob<unknown>('./fixtures/v2/*.json', { import: 'default', eager: true });

function fixture(name: string): unknown {
  const value = fixtures[`./fixtures/v2/${name}.json`];
  if (value === undefined) throw new Error(`no fixture ${name}`);
  return value;
}

/** What reads each answer: a zod schema, or the reader a cron tick uses (v2/readers.ts). */
const CONTRACTS: [string, ResponseParser][] = [
  ['subscription', V2SubscriptionReader],
  ['plan', V2PlanReader],
  // The worker never reads the plan list; the plan's zod twin (test/webshare/twins) reads its items.
  ['plan-list', pageSchema(V2PlanSchema)],
  ['plan-patch-response', V2PlanReader],
  ['stats-aggregate', V2AggregateStatsReader],
  ['proxy-list', V2ProxyPageSchema],
  ['proxy-list', V2ProxyValidityPageReader],
  ['proxy-config-object', V2ProxyConfigObjectSchema],
  ['proxy-config-v2-get-masquerade', V2ProxyConfigObjectSchema],
  ['proxy-config-v2-patch-response', V2ProxyConfigObjectSchema],
  ['proxy-config-v3', V2ProxyConfigV3Schema],
  ['proxy-list-status-v3', V2ProxyListStatusSchema],
  ['ipauthorization-create-response', V2IpAuthorizationSchema],
  ['ipauthorization-list', V2IpAuthorizationPageSchema],
  ['replacement-object', V2ReplacementSchema],
  ['replacement-create-response-validating', V2ReplacementSchema],
  ['replacement-create-response-ip-address-any', V2ReplacementSchema],
  ['replacement-retrieve-completed', V2ReplacementSchema],
  ['replacement-list', V2ReplacementPageSchema],
  ['replaced-proxy-object', V2ReplacedProxySchema],
  ['replaced-proxy-list', V2ReplacedProxyPageSchema],
  ['subuser', V2SubUserReader],
  ['subuser-create-response', V2SubUserReader],
  ['subuser-refresh-response', V2SubUserReader],
  ['subuser-list', V2SubUserPageReader],
];

describe('v2/v3 reference examples', () => {
  it.each(CONTRACTS)('%s parses through the schema of the endpoint that returns it', (name, schema) => {
    const parsed = schema.safeParse(fixture(name));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('holds a fixture for every example the research notes list, and each is used or is a request body', () => {
    const used = new Set(CONTRACTS.map(([name]) => name));
    const requestsOrUnused = Object.keys(fixtures)
      .map((path) => path.replace('./fixtures/v2/', '').replace('.json', ''))
      .filter((name) => !used.has(name) && !name.startsWith('error-'));
    // Request bodies we send, and reads the worker does not make (time series, v3 list stats, whatsmyip).
    expect(requestsOrUnused.sort()).toEqual([
      'ipauthorization-create-request',
      'proxy-list-stats-v3',
      'replacement-create-request',
      'replacement-create-request-ip-address-any',
      'stats-hourly-object',
      'stats-list',
      'subuser-create-request',
      'whatsmyip',
    ]);
  });

  it('normalises the plan: bandwidth_limit GB becomes bytes at 10^9 per GB, quotas in the v1 spelling', () => {
    const plan = parseWith(V2PlanReader, fixture('plan'));
    const subscription = toSubscription(parseWith(V2SubscriptionReader, fixture('subscription')), plan);
    expect(subscription.bandwidth_limit).toBe(50 * V2_BYTES_PER_GB);
    expect(subscription.proxy_count).toBe(1000);
    const info = toReplacementInfo(plan);
    expect(info).toMatchObject({
      ondemand_refreshes_available: plan.on_demand_refreshes_available,
      proxy_replacements_available: plan.proxy_replacements_available,
      automatic_refresh_percentage: 0,
    });
  });

  it('normalises aggregate stats into the v1 stats shape, with limit and remaining computed from the plan', () => {
    const stats = toProxyStats(parseWith(V2AggregateStatsReader, fixture('stats-aggregate')), 10_000);
    expect(stats).toEqual({
      bandwidth_used: 5000,
      bandwidth_limit: 10_000,
      bandwidth_remaining: 5000,
      bandwidth_projected: 100000,
      last_request_at: '2022-08-11T17:12:32.589667-07:00',
      requests_total: 5,
      requests_successful: 4,
      requests_failed: 1,
      requests_countries: { GB: 1, FR: 4 },
      requests_error_reasons: { client_connect_forbidden_host: 1 },
    });
    expect(
      toProxyStats(parseWith(V2AggregateStatsReader, fixture('stats-aggregate')), 0).bandwidth_remaining,
    ).toBeNull();
  });

  it('asks for stats over the billing period so far, never more than 90 days back', () => {
    const subscription = parseWith(V2SubscriptionReader, fixture('subscription'));
    const now = Date.parse(subscription.start_date) + 5 * 86_400_000;
    expect(statsWindow(subscription, now)).toEqual({
      gte: new Date(Date.parse(subscription.start_date)).toISOString(),
      lte: new Date(now).toISOString(),
    });
    const long = { ...subscription, start_date: '2020-01-01T00:00:00Z', end_date: '2030-01-01T00:00:00Z' };
    const window = statsWindow(long, now);
    expect(now - Date.parse(window.gte)).toBeLessThan(90 * 86_400_000);
  });

  it('reads a sub-user without credentials (null), its usage from aggregate_stats', () => {
    const user = toListedSubUser(parseWith(V2SubUserReader, fixture('subuser')));
    expect(user).toMatchObject({
      id: 7,
      proxy_username: null,
      proxy_password: null,
      proxy_usage: 5000,
      proxy_limit: 10,
    });
  });

  it('keeps a string proxy id and accepts a null proxy_address (residential plans)', () => {
    const page = V2ProxyPageSchema.parse(fixture('proxy-list'));
    expect(page.results[0]?.id).toBe('d-10513');
    const residential = {
      ...(fixture('proxy-list') as object),
      results: [{ id: 'r-1', proxy_address: null, valid: true }],
    };
    expect(parseWith(V2ProxyValidityPageReader, residential).results[0]?.proxy_address).toBeNull();
  });
});

describe('v2 error bodies', () => {
  it.each([
    ['error-field-required-live', { mode: ['This field is required.'] }, ['required']],
    ['error-field-required-documented', { mode: ['This field is required.'] }, []],
  ])('%s becomes field → messages, keeping the codes', (name, fieldErrors, codes) => {
    expect(parseFieldErrors(fixture(name))).toMatchObject({ fieldErrors, codes });
  });

  it('accepts mixed string and {message, code} lists', () => {
    const parsed = parseFieldErrors(fixture('error-field-mixed'));
    expect(Object.values(parsed.fieldErrors).flat().length).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['error-account-suspended', 'account_suspended'],
    ['error-account-deleted', 'account_deleted'],
    ['error-2fa-needed', '2fa_needed'],
    ['error-api-key-not-allowed', 'api_key_not_allowed'],
  ])('%s carries its top-level code %s', (name, code) => {
    const parsed = parseFieldErrors(fixture(name));
    expect(parsed.code).toBe(code);
    expect(parsed.codes[0]).toBe(code);
  });

  it.each(['error-throttled-429', 'error-not-found-404', 'error-invalid-token-401'])(
    '%s has a detail and no code',
    (name) => {
      const parsed = parseFieldErrors(fixture(name));
      expect(parsed.detail).toEqual(expect.any(String));
      expect(parsed.codes).toEqual([]);
    },
  );
});
