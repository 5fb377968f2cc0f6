import { describe, expect, it } from 'vitest';
import type { QuotaSummary, SweepResult } from '../../src/model/snapshot';
import { remediationConfigSchema, type RemediationConfig } from '../../src/config/remediation';
import { classifyError } from '../../src/remediation/execute';
import { planRemediation, type PlanInput } from '../../src/remediation/plan';
import { rollDay } from '../../src/remediation/state';
import { emptyRemediationState } from '../../src/model/remediation';
import type { RemediationState } from '../../src/model/remediation';
import {
  SubrequestBudgetExhaustedError,
  WebshareLocalRateLimitError,
  WebshareTimeoutError,
  errorForStatus,
} from '../../src/webshare/errors';

const NOW = Date.parse('2026-12-01T10:00:00Z');
const NOW_ISO = new Date(NOW).toISOString();

function sweep(streaks: Record<string, number>, total = 100, invalid?: number): SweepResult {
  const list = Object.entries(streaks)
    .map(([proxy_address, consecutive_sweeps]) => ({ proxy_address, country_code: 'US', consecutive_sweeps }))
    .sort((a, b) => b.consecutive_sweeps - a.consecutive_sweeps);
  const count = invalid ?? list.length;
  return {
    started_at: NOW_ISO,
    finished_at: NOW_ISO,
    total,
    invalid: count,
    invalid_ratio: total ? count / total : 0,
    by_country: {},
    invalid_proxies: list,
    ticks: 1,
  };
}

function quotas(replacements: number, refreshes = 0): QuotaSummary {
  return {
    ondemand_refreshes_total: 3,
    ondemand_refreshes_used: 3 - refreshes,
    ondemand_refreshes_available: refreshes,
    proxy_replacements_total: 20,
    proxy_replacements_used: 20 - replacements,
    proxy_replacements_available: replacements,
    automatic_refresh_next_at: null,
  };
}

function state(patch: Partial<RemediationState> = {}): RemediationState {
  return { ...rollDay(emptyRemediationState(), NOW), ...patch };
}

function input(
  patch: Partial<Omit<PlanInput, 'config'>> & { config?: Partial<RemediationConfig> } = {},
): PlanInput {
  return {
    sweep: patch.sweep === undefined ? sweep({ 'A.1': 3 }) : patch.sweep,
    quotas: patch.quotas === undefined ? quotas(10) : patch.quotas,
    config: remediationConfigSchema().parse({ enabled: true, ...patch.config }),
    state: patch.state ?? state(),
    nowMs: NOW,
  };
}

const pending = (address: string, attempts: number) => ({
  address,
  country_code: 'US',
  attempts,
  last_error: attempts ? 'WebshareServerError (500)' : null,
  since: NOW_ISO,
});

describe('planRemediation: which proxies to replace', () => {
  it.each<[string, PlanInput, { replace: string[]; skips?: [string, string][]; deferred?: string[] }]>([
    ['replaces a proxy invalid for K consecutive sweeps', input(), { replace: ['A.1'] }],
    [
      'leaves a proxy invalid for fewer sweeps alone, silently',
      input({ sweep: sweep({ 'A.1': 2 }) }),
      { replace: [] },
    ],
    [
      'honours a custom K',
      input({ sweep: sweep({ 'A.1': 2, 'B.1': 1 }), config: { replace_after_sweeps: 2 } }),
      { replace: ['A.1'] },
    ],
    [
      'takes the most persistent first',
      input({ sweep: sweep({ 'A.1': 3, 'B.1': 7, 'C.1': 4 }) }),
      { replace: ['B.1', 'C.1', 'A.1'] },
    ],
    [
      'never dips below the reserve (3 left, keep 2: one replacement)',
      input({ sweep: sweep({ 'A.1': 4, 'B.1': 3 }), quotas: quotas(3) }),
      { replace: ['A.1'], skips: [['B.1', 'reserve']] },
    ],
    [
      'does nothing once the reserve is reached',
      input({ sweep: sweep({ 'A.1': 4, 'B.1': 3 }), quotas: quotas(2) }),
      {
        replace: [],
        skips: [
          ['A.1', 'reserve'],
          ['B.1', 'reserve'],
        ],
      },
    ],
    [
      'keep_replacements 0 may use the last one',
      input({ quotas: quotas(1), config: { keep_replacements: 0 } }),
      { replace: ['A.1'] },
    ],
    [
      'stops at the daily cap, counting what was done earlier today',
      input({ sweep: sweep({ 'A.1': 4, 'B.1': 3 }), state: state({ replaced_today: 9 }) }),
      { replace: ['A.1'], skips: [['B.1', 'daily_cap']] },
    ],
    [
      'a cap of 0 replaces nothing',
      input({ config: { max_replacements_per_day: 0 } }),
      { replace: [], skips: [['A.1', 'daily_cap']] },
    ],
    [
      'never replaces the same address twice (a stale sweep still lists it)',
      input({ state: state({ recent: [{ address: 'A.1', new_address: 'Z.9', at: NOW_ISO }] }) }),
      { replace: [], skips: [['A.1', 'replaced_recently']] },
    ],
    [
      'carries candidates over when the quota could not be read',
      input({ quotas: null }),
      { replace: [], skips: [['A.1', 'quota_unknown']], deferred: ['A.1'] },
    ],
    ['does nothing without a fresh sweep and nothing pending', input({ sweep: null }), { replace: [] }],
    [
      'retries a pending replacement without a fresh sweep',
      input({ sweep: null, state: state({ pending: [pending('P.1', 1)] }) }),
      { replace: ['P.1'] },
    ],
    [
      'retries pending replacements before new candidates',
      input({ state: state({ pending: [pending('P.1', 1)] }), sweep: sweep({ 'A.1': 5, 'P.1': 3 }) }),
      { replace: ['P.1', 'A.1'] },
    ],
    [
      'drops a pending replacement a complete sweep shows recovered',
      input({ state: state({ pending: [pending('P.1', 1)] }) }),
      { replace: ['A.1'] },
    ],
    [
      'keeps a pending replacement when the sweep names only some invalid proxies',
      input({ state: state({ pending: [pending('P.1', 1)] }), sweep: sweep({ 'A.1': 3 }, 1000, 400) }),
      { replace: ['P.1', 'A.1'] },
    ],
    [
      'gives up on an address after 3 failed attempts (until the next day)',
      input({ sweep: null, state: state({ pending: [pending('P.1', 3)] }) }),
      { replace: [], skips: [['P.1', 'gave_up']], deferred: ['P.1'] },
    ],
  ])('%s', (_name, planInput, expected) => {
    const plan = planRemediation(planInput);
    expect(plan.replacements.map((r) => r.address)).toEqual(expected.replace);
    expect(plan.skips.map((s) => [s.target, s.reason])).toEqual(expected.skips ?? []);
    expect(plan.deferred.map((d) => d.address)).toEqual(expected.deferred ?? []);
    expect(plan.refresh).toBeNull();
  });
});

describe('planRemediation: refreshing the whole list', () => {
  const high = sweep({ 'A.1': 3, 'B.1': 1 }, 3, 2); // 66.7 % invalid
  const incident = {
    started_at: '2026-12-01T09:00:00.000Z',
    sweeps: 5,
    refreshed_at: null,
    refresh_attempts: 0,
  };
  const opened = state({ incident: { ...incident, started_at: NOW_ISO, sweeps: 2 } });
  it.each<[string, PlanInput, { refresh: boolean; incident: 'open' | 'kept' | null; skip?: string }]>([
    [
      'opens an incident when the invalid ratio reaches the threshold, without refreshing at once',
      input({ sweep: high, quotas: quotas(10, 2), config: { refresh_enabled: true } }),
      { refresh: false, incident: 'open' },
    ],
    [
      'refreshes once the incident has lasted K sweeps',
      input({ sweep: high, quotas: quotas(10, 2), config: { refresh_enabled: true }, state: opened }),
      { refresh: true, incident: 'open' },
    ],
    [
      'does not refresh unless refresh_enabled (the incident is still tracked)',
      input({ sweep: high, quotas: quotas(10, 2), state: opened }),
      { refresh: false, incident: 'open' },
    ],
    [
      'does not refresh below the threshold',
      input({ sweep: sweep({ 'A.1': 3 }, 3, 1), quotas: quotas(10, 2), config: { refresh_enabled: true } }),
      { refresh: false, incident: null },
    ],
    [
      'honours a custom threshold',
      input({
        sweep: sweep({ 'A.1': 3 }, 3, 1),
        quotas: quotas(10, 2),
        config: { refresh_enabled: true, refresh_on_invalid_ratio_percent: 30, replace_after_sweeps: 1 },
      }),
      { refresh: true, incident: 'open' },
    ],
    [
      'refreshes only once per incident',
      input({
        sweep: high,
        quotas: quotas(10, 2),
        config: { refresh_enabled: true },
        state: state({
          incident: { ...incident, refreshed_at: '2026-12-01T09:00:00.000Z', refresh_attempts: 1 },
        }),
      }),
      { refresh: false, incident: 'kept', skip: 'refreshed_this_incident' },
    ],
    [
      'says so when no on-demand refresh is available, and replaces one by one',
      input({ sweep: high, quotas: quotas(10, 0), config: { refresh_enabled: true }, state: opened }),
      { refresh: false, incident: 'open', skip: 'refresh_unavailable' },
    ],
    [
      'retries a failed refresh while the incident lasts',
      input({
        sweep: high,
        quotas: quotas(10, 2),
        config: { refresh_enabled: true },
        state: state({ incident: { ...incident, refresh_attempts: 1 } }),
      }),
      { refresh: true, incident: 'kept' },
    ],
    [
      'closes the incident when a sweep falls below the threshold',
      input({
        sweep: sweep({}, 100, 0),
        quotas: quotas(10, 2),
        config: { refresh_enabled: true },
        state: state({ incident }),
      }),
      { refresh: false, incident: null },
    ],
    [
      'keeps the incident as it was without a fresh sweep',
      input({
        sweep: null,
        quotas: quotas(10, 2),
        config: { refresh_enabled: true },
        state: state({ incident }),
      }),
      { refresh: false, incident: 'kept' },
    ],
  ])('%s', (_name, planInput, expected) => {
    const plan = planRemediation(planInput);
    expect(plan.refresh !== null).toBe(expected.refresh);
    if (expected.incident === null) expect(plan.incident).toBeNull();
    else if (expected.incident === 'kept') expect(plan.incident?.started_at).toBe(incident.started_at);
    else expect(plan.incident?.started_at).toBe(NOW_ISO);
    const refreshSkips = plan.skips.filter((s) => s.action === 'refresh').map((s) => s.reason);
    expect(refreshSkips).toEqual(expected.skip ? [expected.skip] : []);
  });

  it('plans the same in a dry run, marked as such', () => {
    const plan = planRemediation(input({ config: { dry_run: true } }));
    expect(plan.mode).toBe('dry_run');
    expect(plan.replacements.map((r) => r.address)).toEqual(['A.1']);
  });
});

describe('classifyError: what Webshare’s answer to a replacement means', () => {
  const where = { method: 'POST', path: '/api/proxy/replacement/' };
  it.each<[string, unknown, string]>([
    [
      '400 no proxy matches: already replaced',
      errorForStatus({
        ...where,
        status: 400,
        fieldErrors: { ip_address: ['No proxy in your proxy list matches this IP address or range.'] },
      }),
      'gone',
    ],
    [
      '400 no replacements available: exhausted',
      errorForStatus({ ...where, status: 400, detail: 'You have no proxy replacements available.' }),
      'exhausted',
    ],
    ['another 400: rejected', errorForStatus({ ...where, status: 400, detail: 'Nope.' }), 'rejected'],
    ['403: rejected', errorForStatus({ ...where, status: 403 }), 'rejected'],
    ['500: failed, retried', errorForStatus({ ...where, status: 500 }), 'failed'],
    ['503: failed, retried', errorForStatus({ ...where, status: 503 }), 'failed'],
    ['timeout: failed, retried', new WebshareTimeoutError('no answer', where), 'failed'],
    ['429: deferred', errorForStatus({ ...where, status: 429 }), 'deferred'],
    ['local rate limit: deferred', new WebshareLocalRateLimitError('wait', where), 'deferred'],
    ['budget spent: deferred', new SubrequestBudgetExhaustedError('spent', where), 'deferred'],
  ])('%s', (_name, error, kind) => {
    expect(classifyError(error).kind).toBe(kind);
  });
});
