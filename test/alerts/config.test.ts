import { describe, expect, it } from 'vitest';
import { alertsConfigSchema } from '../../src/config/alerts';
import { DEFAULT_ALERTS_CONFIG } from '../../src/config/defaults';
import { loadConfig } from '../../src/config';
import type { Env } from '../../src/env';
import { Harness, STATE } from './harness';

describe('the ALERTS config', () => {
  it('has a documented default for everything, so {} is complete', () => {
    expect(DEFAULT_ALERTS_CONFIG).toEqual({
      bandwidth: { thresholds_percent: [80, 90, 100], hysteresis_percent: 5, critical_percent: 100 },
      projection: { enabled: true, min_samples: 3, min_history_hours: 1 },
      invalid_proxies: { ratio_percent: 10, spike_count: 5, hysteresis_percent: 2, top_countries: 3 },
      failure_rate: { threshold_percent: 20, min_requests: 100, hysteresis_percent: 5 },
      quotas: { refreshes_exhausted: true, replacements_exhausted: true, subscription_ending_days: 3 },
      subusers: { usage_percent: 90, hysteresis_percent: 5 },
      watchdog: { failed_ticks: 3 },
      pending_ticks: 0,
      repeat_interval_minutes: 240,
      outbox_ttl_hours: 24,
      delivery: { timeout_ms: 5000, attempts_per_tick: 3 },
      routing: {
        info: ['slack', 'discord', 'webhook'],
        warning: ['slack', 'discord', 'webhook'],
        critical: ['slack', 'discord', 'webhook'],
      },
    });
  });

  it('accepts a partial object or a JSON string and fills in the rest', async () => {
    const fromObject = await loadConfig({
      STATE,
      ALERTS: { routing: { info: [] }, bandwidth: { thresholds_percent: [95, 75] } },
    } as Env);
    expect(fromObject.problems).toEqual([]);
    expect(fromObject.alerts.routing).toEqual({
      info: [],
      warning: ['slack', 'discord', 'webhook'],
      critical: ['slack', 'discord', 'webhook'],
    });
    expect(fromObject.alerts.bandwidth.thresholds_percent).toEqual([75, 95]);
    const fromString = await loadConfig({ STATE, ALERTS: '{"pending_ticks": 2}' } as Env);
    expect(fromString.alerts.pending_ticks).toBe(2);
  });

  it.each([
    [{ bandwidth: { thresholds_percent: '80' } }, 'ALERTS.bandwidth.thresholds_percent'],
    [{ bandwidth: { thresholds_percnt: [80] } }, 'ALERTS.bandwidth'], // a typo is not silently ignored
    [{ routing: { warning: ['email'] } }, 'ALERTS.routing.warning.0'],
    [{ repeat_interval_minutes: 0 }, 'ALERTS.repeat_interval_minutes'],
    [{ delivery: { timeout_ms: 60_000 } }, 'ALERTS.delivery.timeout_ms'],
  ])('reports %j by path', async (alerts, where) => {
    const config = await loadConfig({ STATE, ALERTS: alerts } as Env);
    expect(config.problems.map((p) => p.message).join('\n')).toContain(where);
    expect(config.alerts).toEqual(DEFAULT_ALERTS_CONFIG);
  });

  it('the schema rejects unknown keys at the top level too', () => {
    expect(alertsConfigSchema().safeParse({ bandwith: {} }).success).toBe(false);
  });

  it('an invalid ALERTS is logged by the engine on every tick, not silently ignored', async () => {
    const h = new Harness({ ALERTS: '{"bandwidth": {"thresholds_percent": "80"}}' } as Partial<Env>, {
      allowProblems: true,
    });
    await h.next({ percent: 85 });
    const errors = h.logLines.filter((l) => l.includes('ALERTS is invalid'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('ALERTS.bandwidth.thresholds_percent');
    expect(h.slack.requests).toHaveLength(1); // defaults still alert
  });
});
