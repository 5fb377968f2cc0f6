import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { alertsConfigSchema } from '../src/config/alerts';
import {
  DEFAULT_ALERTS_CONFIG,
  DEFAULT_DIGEST_CONFIG,
  DEFAULT_REMEDIATION_CONFIG,
} from '../src/config/defaults';
import { digestConfigSchema } from '../src/config/digest';
import { remediationConfigSchema } from '../src/config/remediation';
import type { Env } from '../src/env';

const STATE = {} as KVNamespace;

describe('the structured vars’ written-out defaults', () => {
  it('are exactly what each schema makes of an empty table', () => {
    expect(DEFAULT_ALERTS_CONFIG).toEqual(alertsConfigSchema().parse({}));
    expect(DEFAULT_REMEDIATION_CONFIG).toEqual(remediationConfigSchema().parse({}));
    expect(DEFAULT_DIGEST_CONFIG).toEqual(digestConfigSchema().parse({}));
  });

  it('apply, without a problem, when the vars are unset or blank', async () => {
    for (const value of [undefined, '', '  ']) {
      const config = await loadConfig({ STATE, ALERTS: value, REMEDIATION: value, DIGEST: value } as Env);
      expect(config.alerts).toEqual(DEFAULT_ALERTS_CONFIG);
      expect(config.remediation).toEqual(DEFAULT_REMEDIATION_CONFIG);
      expect(config.digest).toEqual(DEFAULT_DIGEST_CONFIG);
      expect(config.problems).toEqual([]);
    }
  });

  it('reads a blank PLANS as an empty table, loading the schemas it needs, as it did synchronously', async () => {
    const config = await loadConfig({ STATE, PLANS: '   ' } as Env);
    expect(config.plans).toEqual({});
    expect(config.problems).toEqual([]);
  });

  it('are copied into each config, so changing one config changes neither another nor the defaults', async () => {
    const first = await loadConfig({ STATE } as Env);
    first.alerts.bandwidth.thresholds_percent.push(120);
    first.alerts.routing.info.length = 0;
    first.remediation.enabled = true;
    first.digest.schedule = 'daily';
    const second = await loadConfig({ STATE } as Env);
    expect(second.alerts).toEqual(alertsConfigSchema().parse({}));
    expect(DEFAULT_ALERTS_CONFIG).toEqual(alertsConfigSchema().parse({}));
    expect(second.remediation.enabled).toBe(false);
    expect(second.digest.schedule).toBe('off');
  });
});
