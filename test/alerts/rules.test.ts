import { describe, expect, it } from 'vitest';
import { alertsConfigSchema } from '../../src/config/alerts';
import { evaluateRules, forecastRate, stepWithHysteresis, type RuleInput } from '../../src/alerts/rules';
import type { Evaluation } from '../../src/alerts/types';
import type { Snapshot } from '../../src/model/snapshot';
import { GB, snapshot, T0, TICK_MS } from './snapshot-builder';

const config = alertsConfigSchema().parse({});

function evaluate(
  current: Snapshot,
  options: Partial<Omit<RuleInput, 'current'>> = {},
): { byKey: Map<string, Evaluation>; held: string[] } {
  const { evaluations, held } = evaluateRules({
    current,
    previous: options.previous ?? null,
    history: options.history ?? [],
    config: options.config ?? config,
    prior: options.prior ?? {},
  });
  return { byKey: new Map(evaluations.map((e) => [e.key, e])), held };
}

function get(current: Snapshot, key: string, options: Partial<Omit<RuleInput, 'current'>> = {}): Evaluation {
  const e = evaluate(current, options).byKey.get(key);
  if (!e) throw new Error(`no evaluation for ${key}`);
  return e;
}

describe('bandwidth rule', () => {
  it.each([
    // percent, prior level, expected status, level, severity
    [10, 0, 'ok', 0, 'info'],
    [79.9, 0, 'ok', 0, 'info'],
    [80, 0, 'firing', 1, 'warning'],
    [85, 0, 'firing', 1, 'warning'],
    [90, 0, 'firing', 2, 'warning'],
    [95, 1, 'firing', 2, 'warning'],
    [100, 0, 'firing', 3, 'critical'],
    [120, 0, 'firing', 3, 'critical'],
    // hysteresis (5 points): an active alert holds its step until value < threshold - 5
    [78, 1, 'firing', 1, 'warning'],
    [75, 1, 'firing', 1, 'warning'],
    [74.9, 1, 'ok', 0, 'info'],
    [86, 2, 'firing', 2, 'warning'],
    [84, 2, 'firing', 1, 'warning'],
    [30, 3, 'ok', 0, 'info'],
  ] as const)('%s%% with prior level %s → %s level %s (%s)', (percent, prior, status, level, severity) => {
    const e = get(snapshot({ percent }), 'bandwidth', { prior: prior ? { bandwidth: prior } : {} });
    expect(e).toMatchObject({ status, level, severity });
  });

  it('never fires on an unlimited plan (limit 0)', () => {
    const current = snapshot({ stats: { bandwidth_limit: 0, bandwidth_used: 999 * GB } });
    expect(get(current, 'bandwidth').status).toBe('ok');
    expect(get(current, 'projection').status).toBe('ok');
  });

  it('holds (unknown) when the stats call failed, instead of resolving', () => {
    expect(get(snapshot({ stats: null }), 'bandwidth').status).toBe('unknown');
  });

  it('says the percentage, the limit, what is used and the projection', () => {
    const current = snapshot({
      stats: { bandwidth_used: 45.6 * GB, bandwidth_limit: 50 * GB, bandwidth_projected: 58 * GB },
    });
    const e = get(current, 'bandwidth');
    expect(e.title).toBe('Bandwidth at 91.2% of 50 GB');
    expect(e.summary).toBe(
      'Bandwidth at 91.2% of 50 GB (45.6 GB used, 4.4 GB left), past the 90% threshold; projected 58 GB by Dec 1.',
    );
    expect(e.usage).toEqual({ percent: 91.2 });
  });

  it('honours configured thresholds (unsorted input is sorted)', () => {
    const custom = alertsConfigSchema().parse({ bandwidth: { thresholds_percent: [95, 50] } });
    expect(get(snapshot({ percent: 60 }), 'bandwidth', { config: custom })).toMatchObject({ level: 1 });
    expect(get(snapshot({ percent: 96 }), 'bandwidth', { config: custom })).toMatchObject({ level: 2 });
  });
});

describe('stepWithHysteresis', () => {
  it.each([
    [50, [80, 90, 100], 0, 5, 0],
    [89, [80, 90, 100], 0, 5, 1],
    [86, [80, 90, 100], 3, 5, 2],
    [101, [80, 90, 100], 1, 5, 3],
    [0, [80], 1, 0, 0],
  ])('value %s over %j from step %s (margin %s) → %s', (value, thresholds, prior, margin, expected) => {
    expect(stepWithHysteresis(value, thresholds, prior, margin)).toBe(expected);
  });
});

describe('projection rule', () => {
  it('fires on Webshare’s bandwidth_projected above the limit and says when it runs out', () => {
    // Nov 20 12:00, 30 GB used of 50, projected 80 GB by Dec 1: 50 GB over 10.5 days → 4.76 GB/day.
    const current = snapshot({ stats: { bandwidth_used: 30 * GB, bandwidth_projected: 80 * GB } });
    const e = get(current, 'projection');
    expect(e.status).toBe('firing');
    expect(e.summary).toBe(
      'Projected 80 GB of 50 GB by Dec 1 — runs out around Nov 24 16:48 UTC (30 GB used so far).',
    );
    expect(e.values.runs_out_at).toBe('2026-11-24T16:48:00.000Z');
  });

  it.each([
    [40, 0, 'ok'],
    [50, 0, 'ok'],
    [51, 0, 'firing'],
    [48, 1, 'firing'], // hysteresis: active until projected < 95 % of the limit
    [47, 1, 'ok'],
  ])('projected %s GB of 50 with prior %s → %s', (projectedGb, prior, status) => {
    const current = snapshot({ stats: { bandwidth_used: 20 * GB, bandwidth_projected: projectedGb * GB } });
    expect(get(current, 'projection', { prior: prior ? { projection: prior } : {} }).status).toBe(status);
  });

  it('forecasts from the snapshot history when Webshare gives no projection', () => {
    // 2 GB per hour from 10 GB at T0: 40 GB left → runs out 20 h after T0 + 3 h.
    const history = [0, 1, 2].map((h) =>
      snapshot({ tick: h * 12, stats: { bandwidth_used: (10 + 2 * h) * GB } }),
    );
    const current = snapshot({ tick: 36, stats: { bandwidth_used: 16 * GB } });
    const e = get(current, 'projection', { history });
    expect(e.status).toBe('firing');
    expect(e.values.source).toBe('history');
    expect(e.values.runs_out_at).toBe(new Date(T0 + 3 * 3_600_000 + 17 * 3_600_000).toISOString());
  });

  it('is unknown without enough history or a subscription', () => {
    expect(get(snapshot({ percent: 50 }), 'projection').status).toBe('unknown');
    expect(
      get(snapshot({ subscription: null, stats: { bandwidth_projected: 99 * GB } }), 'projection').status,
    ).toBe('unknown');
  });

  it('ignores samples from before a counter reset', () => {
    const samples = [
      snapshot({ tick: 0, stats: { bandwidth_used: 40 * GB } }),
      snapshot({ tick: 12, stats: { bandwidth_used: 1 * GB } }),
      snapshot({ tick: 24, stats: { bandwidth_used: 2 * GB } }),
    ];
    expect(forecastRate(samples, 0, 3)).toBeNull();
    expect(forecastRate(samples, 0, 2)).toBeCloseTo(GB / 3_600_000, 3);
  });
});

describe('invalid proxies rule', () => {
  const sweep = (invalid: number, finished = 'a', total = 100) => ({
    invalid,
    total,
    invalid_ratio: invalid / total,
    finished_at: finished,
    by_country: {
      US: { total: 50, invalid: Math.ceil(invalid / 2) },
      DE: { total: 30, invalid: Math.floor(invalid / 2) },
      FR: { total: 20, invalid: 0 },
    },
  });

  it.each([
    // previous invalid (null = no previous), current invalid, new sweep?, prior, expected
    [null, 2, true, 0, 'ok'],
    [null, 10, true, 0, 'firing'], // ratio 10 %
    [2, 6, true, 0, 'ok'], // +4 < 5
    [2, 7, true, 0, 'firing'], // spike +5
    [7, 7, false, 1, 'unknown'], // same sweep carried over: the spike alert holds
    [7, 8, true, 1, 'firing'], // ratio 8 % ≥ 10 − 2 (hysteresis)
    [7, 7, true, 1, 'ok'], // a new sweep, below 8 %, no spike
  ] as const)(
    'previous %s → current %s (new sweep %s, prior %s) → %s',
    (before, now, fresh, prior, status) => {
      const previous = before === null ? null : snapshot({ sweep: sweep(before, 'a') });
      const current = snapshot({ tick: 1, sweep: sweep(now, fresh ? 'b' : 'a') });
      expect(
        get(current, 'invalid_proxies', { previous, prior: prior ? { invalid_proxies: prior } : {} }).status,
      ).toBe(status);
    },
  );

  it('names the count, the ratio, the increase and the worst countries', () => {
    const e = get(snapshot({ tick: 1, sweep: sweep(12, 'b') }), 'invalid_proxies', {
      previous: snapshot({ sweep: sweep(4, 'a') }),
    });
    expect(e.title).toBe('Invalid proxies up by 8');
    expect(e.summary).toBe(
      '12 of 100 proxies invalid (12%), up 8 since the previous sweep; worst countries: DE 6/30 (20%), US 6/50 (12%).',
    );
  });
});

describe('failure-rate rule', () => {
  const stats = (total: number, failed: number, reasons: Record<string, number> = {}) => ({
    requests_total: total,
    requests_failed: failed,
    requests_error_reasons: reasons,
  });
  it.each([
    [stats(1000, 10), stats(2000, 110), 0, 'ok'], // 10 %
    [stats(1000, 10), stats(2000, 210), 0, 'firing'], // 20 %
    [stats(1000, 10), stats(1050, 60), 0, 'ok'], // 100 % but only 50 requests
    [stats(1000, 10), stats(2000, 160), 1, 'firing'], // 15 % ≥ 20 − 5 while active
    [stats(1000, 10), stats(2000, 149), 1, 'ok'],
    [stats(5000, 10), stats(100, 0), 0, 'unknown'], // counters reset
  ])('%j → %j (prior %s) → %s', (before, now, prior, status) => {
    expect(
      get(snapshot({ tick: 1, stats: now }), 'failure_rate', {
        previous: snapshot({ stats: before }),
        prior: prior ? { failure_rate: prior } : {},
      }).status,
    ).toBe(status);
  });

  it('is unknown without a previous snapshot', () => {
    expect(get(snapshot(), 'failure_rate').status).toBe('unknown');
  });

  it('names the top error reasons of the interval', () => {
    const e = get(
      snapshot({ tick: 1, stats: stats(2000, 510, { timeout: 300, refused: 150, dns: 50, old: 10 }) }),
      'failure_rate',
      { previous: snapshot({ stats: stats(1000, 10, { old: 10 }) }) },
    );
    expect(e.summary).toBe(
      '500 of 1000 requests failed since the previous check (50%, threshold 20%); top errors: timeout (300), refused (150), dns (50).',
    );
  });
});

describe('quota rules', () => {
  it.each([
    [{ ondemand_refreshes_available: 0, ondemand_refreshes_used: 10 }, 'refreshes_exhausted', 'firing'],
    [{ ondemand_refreshes_available: 1 }, 'refreshes_exhausted', 'ok'],
    [{ ondemand_refreshes_total: 0, ondemand_refreshes_available: 0 }, 'refreshes_exhausted', 'ok'],
    [{ proxy_replacements_available: 0 }, 'replacements_exhausted', 'firing'],
    [{ proxy_replacements_available: 5 }, 'replacements_exhausted', 'ok'],
  ] as const)('%j → %s %s', (quotas, key, status) => {
    expect(get(snapshot({ quotas }), key).status).toBe(status);
  });

  it('holds quota alerts when the quota call failed', () => {
    expect(get(snapshot({ quotas: null }), 'refreshes_exhausted').status).toBe('unknown');
  });

  it.each([
    ['2026-12-01T00:00:00Z', 'ok', 0],
    ['2026-11-23T00:00:00Z', 'firing', 1], // 2.5 days
    ['2026-11-21T06:00:00Z', 'firing', 2], // 18 hours: critical
    ['2026-11-19T00:00:00Z', 'firing', 2], // already ended
  ])('subscription ending %s → %s level %s', (end, status, level) => {
    const e = get(snapshot({ subscription: { end_date: end } }), 'subscription_ending');
    expect(e).toMatchObject({ status, level });
  });

  it('says when the subscription ends', () => {
    const e = get(snapshot({ subscription: { end_date: '2026-11-23T00:00:00Z' } }), 'subscription_ending');
    expect(e.summary).toBe(
      'The subscription (100 shared proxies) ends Nov 23 00:00 UTC, in 2.5 days; bandwidth resets then and the plan must renew.',
    );
  });
});

describe('sub-user rule', () => {
  const user = (id: number, percent: number | null, limit = 10) => ({
    id,
    label: `customer-${id}`,
    proxy_usage: percent === null ? 0 : (percent / 100) * limit * GB,
    proxy_limit_gb: percent === null ? 0 : limit,
    usage_percent: percent,
  });

  it.each([
    [50, 0, 'ok', 0, 'info'],
    [90, 0, 'firing', 1, 'warning'],
    [100, 0, 'firing', 2, 'critical'],
    [86, 1, 'firing', 1, 'warning'],
    [84, 1, 'ok', 0, 'info'],
  ] as const)('%s%% (prior %s) → %s level %s', (percent, prior, status, level, severity) => {
    const e = get(snapshot({ subusers: [user(7, percent)] }), 'subuser:7', {
      prior: prior ? { 'subuser:7': prior } : {},
    });
    expect(e).toMatchObject({ status, level, severity });
  });

  it('never fires for an unlimited sub-user and holds every sub-user alert when the list is missing', () => {
    expect(get(snapshot({ subusers: [user(8, null)] }), 'subuser:8').status).toBe('ok');
    const { byKey, held } = evaluate(snapshot({ subusers: null }));
    expect(held).toEqual(['subuser_usage']);
    expect([...byKey.keys()].some((k) => k.startsWith('subuser:'))).toBe(false);
  });

  it('names the sub-user and its usage', () => {
    const e = get(snapshot({ subusers: [user(7, 95)] }), 'subuser:7');
    expect(e.summary).toBe('Sub-user customer-7 (#7) used 9.5 GB of its 10 GB limit (95%), past 90%.');
  });
});

describe('watchdog rules', () => {
  const timeout = {
    source: 'stats' as const,
    kind: 'WebshareTimeoutError',
    status: null,
    message: 'timed out',
  };
  const unauthorized = {
    source: 'stats' as const,
    kind: 'WebshareUnauthorizedError',
    status: 401,
    message: 'no',
  };
  const unavailable = {
    source: 'replacement_info' as const,
    kind: 'WebshareUnavailableError',
    status: 503,
    message: 'down',
  };

  it.each([
    [[], 0, 'ok', 'ok'],
    [[timeout], 1, 'ok', 'ok'],
    [[timeout], 2, 'ok', 'ok'],
    [[timeout, unavailable], 3, 'firing', 'ok'], // failed_ticks defaults to 3
    [[unauthorized], 2, 'ok', 'ok'],
    [[unauthorized], 3, 'ok', 'firing'],
    [[unauthorized, unavailable], 4, 'ok', 'firing'],
  ] as const)(
    'errors %j, %s failed ticks in a row → unreachable %s, auth %s',
    (errors, failedTicks, down, auth) => {
      const current = snapshot({ errors: [...errors], stats: null, failedTicks });
      expect(get(current, 'webshare_unreachable').status).toBe(down);
      expect(get(current, 'webshare_auth').status).toBe(auth);
    },
  );

  it('says how long and what failed', () => {
    const e = get(
      snapshot({ errors: [timeout, unavailable], stats: null, failedTicks: 4 }),
      'webshare_unreachable',
    );
    expect(e.summary).toBe(
      'Webshare has not answered for 4 ticks in a row (stats: timeout, replacement_info: 503); alerts are blind until it does.',
    );
  });

  it('never puts upstream error messages (which could echo secrets) in the text', () => {
    const e = get(
      snapshot({
        errors: [{ ...timeout, message: 'Token test-api-key-9f8e7d6c' }],
        stats: null,
        failedTicks: 3,
      }),
      'webshare_unreachable',
    );
    expect(e.status).toBe('firing');
    expect(JSON.stringify(e)).not.toContain('test-api-key');
  });
});

describe('snapshot builder sanity', () => {
  it('spaces ticks five minutes apart', () => {
    expect(snapshot({ tick: 2 }).scheduled_time - snapshot().scheduled_time).toBe(2 * TICK_MS);
  });
});
