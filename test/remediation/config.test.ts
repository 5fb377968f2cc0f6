import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import type { Env } from '../../src/env';
import { DEFAULT_REMEDIATION_CONFIG } from '../../src/config/defaults';

const env = (REMEDIATION: unknown) => ({ STATE: {} as KVNamespace, REMEDIATION }) as Env;

describe('the REMEDIATION var', () => {
  it('is off, with the documented defaults, when unset', async () => {
    const config = await loadConfig(env(undefined));
    expect(config.remediation).toEqual({
      enabled: false,
      dry_run: false,
      replace_after_sweeps: 3,
      keep_replacements: 2,
      max_replacements_per_day: 10,
      refresh_enabled: false,
      refresh_on_invalid_ratio_percent: 50,
    });
    expect(config.remediation).toEqual(DEFAULT_REMEDIATION_CONFIG);
    expect(config.problems).toEqual([]);
  });

  it.each([
    ['a TOML table', { enabled: true, dry_run: true, keep_replacements: 5 }],
    ['a JSON string', '{"enabled":true,"dry_run":true,"keep_replacements":5}'],
  ])('is read from %s', async (_name, value) => {
    const config = await loadConfig(env(value));
    expect(config.remediation).toMatchObject({ enabled: true, dry_run: true, keep_replacements: 5 });
    expect(config.problems).toEqual([]);
  });

  it.each([
    ['invalid JSON', '{"enabled":true', /REMEDIATION is not valid JSON/],
    ['an unknown key (a typo)', { enabled: true, keep_replacement: 5 }, /keep_replacement/],
    ['a negative reserve', { enabled: true, keep_replacements: -1 }, /REMEDIATION\.keep_replacements/],
    [
      'a ratio above 100 %',
      { enabled: true, refresh_on_invalid_ratio_percent: 150 },
      /refresh_on_invalid_ratio/,
    ],
  ])('reports %s by name and stays off', async (_name, value, message) => {
    const config = await loadConfig(env(value));
    expect(config.remediation.enabled).toBe(false);
    expect(config.problems).toEqual([{ variable: 'REMEDIATION', message: expect.stringMatching(message) }]);
  });
});
