/**
 * The doctor against the simulator in both dialects, and against each simulator quirk that
 * contradicts an assumption a read-only check can see: it names that assumption `contradicted`, sends
 * only GETs, and never shows a key or a credential.
 */
import { describe, expect, it } from 'vitest';
import type { SimQuirk } from '../../../sim/options';
import { WebshareUnauthorizedError } from '../../../src/webshare/errors';
import { doctorExitCode, doctorText } from '../../../src/webshare/doctor/text';
import {
  doctor,
  expectNoSecrets,
  expectOnlyGets,
  secretsOf,
  simulator,
  verdictsOf,
  withSubUser,
} from './helpers';

const WRITE_ONLY = [
  'retry-after',
  'error-codes',
  'parallel-replacements',
  'refresh-exhausted',
  'create-status',
];

describe('the doctor on a v2 server that behaves as documented', () => {
  it('confirms every assumption a read can judge, names the rest not checkable, and exits 0', async () => {
    const sim = simulator({ apiVersion: 'v2' });
    sim.control.invalidate(7);
    await withSubUser(sim);

    const report = await doctor();

    expect(report.dialect).toBe('v2');
    expect(report.dialect_source).toBe('probe');
    const verdicts = verdictsOf(report);
    for (const name of ['v2-probe', 'page-size', 'list-filters', 'x-subuser', 'stats-window']) {
      expect(verdicts[name], name).toBe('confirmed');
    }
    for (const name of ['gb-unit', ...WRITE_ONLY])
      expect(verdicts[name], name).toBe('not checkable read-only');
    expect(report.findings.map((f) => f.item)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(report.summary).toEqual({ confirmed: 5, contradicted: 0, not_checkable: 6, read_failures: 0 });
    expect(doctorExitCode(report)).toBe(0);
    expect(report.findings.find((f) => f.name === 'list-filters')?.seen).toContain('valid=false: 7 of 100');
    expectOnlyGets(sim, report);
    expectNoSecrets([JSON.stringify(report), doctorText(report)], secretsOf(sim));
  });

  it('shows the credentials it compared as 8-hex fingerprints', async () => {
    const sim = simulator({ apiVersion: 'v2' });
    await withSubUser(sim);

    const seen = (await doctor()).findings.find((f) => f.name === 'x-subuser')!.seen;

    expect(seen).toMatch(
      /\/api\/v3\/proxy\/list\/status honours it \(username [0-9a-f]{8} as the account, [0-9a-f]{8}/,
    );
  });

  it('says the X-Subuser check is not checkable without a sub-user, and makes none', async () => {
    const sim = simulator({ apiVersion: 'v2' });

    const report = await doctor();

    expect(verdictsOf(report)['x-subuser']).toBe('not checkable read-only');
    expect(sim.state.subUsers.size).toBe(0);
    expectOnlyGets(sim, report);
  });
});

describe('the doctor on a v1 server', () => {
  it('confirms the probe answers 404, reports the v2-only assumptions not checkable, and exits 0', async () => {
    const sim = simulator({ apiVersion: 'v1' });

    const report = await doctor();

    expect(report.dialect).toBe('v1');
    const v2Probe = report.findings.find((f) => f.name === 'v2-probe')!;
    expect(v2Probe).toMatchObject({ verdict: 'confirmed' });
    expect(v2Probe.seen).toContain('answered 404');
    expect(report.summary).toMatchObject({ confirmed: 1, contradicted: 0, not_checkable: 10 });
    expect(doctorExitCode(report)).toBe(0);
    expectOnlyGets(sim, report);
    expectNoSecrets([JSON.stringify(report), doctorText(report)], secretsOf(sim));
  });

  it('reports the failed reads (exit 2) when told to check v2 on a server without it', async () => {
    const sim = simulator({ apiVersion: 'v1' });

    const report = await doctor('v2');

    expect(report).toMatchObject({ dialect: 'v2', dialect_source: 'config' });
    expect(report.summary.read_failures).toBeGreaterThan(0);
    expect(report.findings.find((f) => f.name === 'page-size')).toMatchObject({
      verdict: 'not checkable read-only',
      read_failed: true,
    });
    expect(doctorExitCode(report)).toBe(2);
    expectOnlyGets(sim, report);
  });
});

describe('the doctor on a server that contradicts an assumption', () => {
  it.each<{ quirk: SimQuirk; apiVersion: 'v1' | 'v2'; contradicts: string; seen: string }>([
    { quirk: 'ignore-x-subuser', apiVersion: 'v2', contradicts: 'x-subuser', seen: 'ignores it' },
    { quirk: 'page-size-capped', apiVersion: 'v2', contradicts: 'page-size', seen: 'answered 25 of 100' },
    {
      quirk: 'no-valid-filter',
      apiVersion: 'v2',
      contradicts: 'list-filters',
      seen: 'valid=false: 100 of 100',
    },
    { quirk: 'v2-forbidden', apiVersion: 'v1', contradicts: 'v2-probe', seen: 'answered 403' },
  ])(
    'names $contradicts contradicted under the $quirk quirk and exits 1',
    async ({ quirk, apiVersion, contradicts, seen }) => {
      const sim = simulator({ apiVersion, quirks: [quirk] });
      sim.control.invalidate(3);
      if (apiVersion === 'v2') await withSubUser(sim);

      const report = await doctor();

      const contradicted = report.findings.filter((f) => f.verdict === 'contradicted');
      expect(contradicted.map((f) => f.name)).toEqual([contradicts]);
      expect(contradicted[0]!.seen).toContain(seen);
      expect(doctorExitCode(report)).toBe(1);
      expect(doctorText(report)).toMatch(new RegExp(`^contradicted\\s+\\d+\\. ${contradicts}\\s`, 'm'));
      expectOnlyGets(sim, report);
      expectNoSecrets([JSON.stringify(report), doctorText(report)], secretsOf(sim));
    },
  );

  it('contradicts nothing once the quirk is switched off at run time', async () => {
    const sim = simulator({ apiVersion: 'v2', quirks: ['page-size-capped'] });
    sim.control.setQuirks([]);

    expect((await doctor()).summary.contradicted).toBe(0);
  });
});

describe('the doctor with a key Webshare refuses', () => {
  it('fails with the 401 and never shows the key', async () => {
    simulator({ apiVersion: 'v2' });

    const failure = doctor('auto', 'wrong-key-0123456789').catch((error: unknown) => error);

    const error = await failure;
    expect(error).toBeInstanceOf(WebshareUnauthorizedError);
    expect(String((error as Error).message)).not.toContain('wrong-key-0123456789');
  });
});
