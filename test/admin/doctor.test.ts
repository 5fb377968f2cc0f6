/**
 * GET /v1/doctor through the real app: the admin or the read-only token (the doctor only reads),
 * the same report as the CLI's, only GETs at Webshare, no secret in the answer, and every Webshare
 * read through the account's rate gate.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../src/env';
import type { DoctorReport } from '../../src/webshare/doctor/report';
import { rateGateOf } from '../../src/webshare/rate-gate';
import { RATE_LIMITS_V2_PER_MINUTE } from '../../src/webshare/rate-limits';
import { testNow } from '../helpers/clock';
import { API_KEY, callWithEnv, errorOf, useSimulator } from './helpers';

const READ_TOKEN = 'test-read-token-abcdef012345';
const AUTO = { WEBSHARE_API_VERSION: 'auto' };

describe('GET /v1/doctor', () => {
  const sim = useSimulator({ apiVersion: 'v2' });

  it('answers 401 without a token, calling nothing', async () => {
    const response = await callWithEnv('/v1/doctor', AUTO, { token: null });
    expect(response.status).toBe(401);
    expect(sim().requests).toHaveLength(0);
  });

  it('answers 200 with the report for the admin token, having sent only GETs', async () => {
    const response = await callWithEnv('/v1/doctor', AUTO);

    expect(response.status).toBe(200);
    const report = (await response.json()) as DoctorReport;
    expect(report).toMatchObject({ dialect: 'v2', dialect_source: 'probe' });
    expect(report.findings).toHaveLength(11);
    expect(report.summary.contradicted).toBe(0);
    expect(new Set(sim().requests.map((r) => r.method))).toEqual(new Set(['GET']));
    expect(sim().requests).toHaveLength(report.requests);
  });

  it('lets the read-only token run it: it only reads', async () => {
    const response = await callWithEnv(
      '/v1/doctor',
      { ...AUTO, ADMIN_READ_TOKEN: READ_TOKEN },
      { token: READ_TOKEN },
    );
    expect(response.status).toBe(200);
  });

  it('checks the configured dialect when WEBSHARE_API_VERSION names one', async () => {
    const report = (await (
      await callWithEnv('/v1/doctor', { WEBSHARE_API_VERSION: 'v2' })
    ).json()) as DoctorReport;
    expect(report).toMatchObject({ dialect: 'v2', dialect_source: 'config' });
  });

  it('answers 200 naming the contradicted assumption, with no key or credential in it', async () => {
    sim().control.setQuirks(['page-size-capped']);

    const response = await callWithEnv('/v1/doctor', AUTO);

    expect(response.status).toBe(200);
    const text = await response.text();
    const report = JSON.parse(text) as DoctorReport;
    expect(report.findings.filter((f) => f.verdict === 'contradicted').map((f) => f.name)).toEqual([
      'page-size',
    ]);
    for (const secret of [API_KEY, sim().state.config.username, sim().state.config.password]) {
      expect(text).not.toContain(secret);
    }
  });

  it('answers 502 webshare_auth_failed when Webshare refuses the key', async () => {
    sim().control.revokeKey();

    const response = await callWithEnv('/v1/doctor', AUTO);

    expect(response.status).toBe(502);
    expect((await errorOf(response)).code).toBe('webshare_auth_failed');
  });

  it('takes its Webshare reads from the rate gate: a full gate answers 429 and sends nothing', async () => {
    const gate = rateGateOf((env as unknown as Env).RATE_GATE)!;
    await gate.acquire(
      { general: RATE_LIMITS_V2_PER_MINUTE.general },
      RATE_LIMITS_V2_PER_MINUTE,
      0,
      testNow(),
    );

    const response = await callWithEnv('/v1/doctor', AUTO);

    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect((await errorOf(response)).code).toBeTruthy();
    expect(sim().requests).toHaveLength(0);
  });
});
