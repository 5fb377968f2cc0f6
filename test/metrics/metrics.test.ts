import { createExecutionContext, env } from 'cloudflare:test';
import { SUITE_BYTES_PER_GB } from '../helpers/wire';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import type { Env } from '../../src/env';
import { escapeLabelValue } from '../../src/lib/prometheus';
import { countingKv } from '../alerts/harness';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { FIVE_MINUTES_MS, pollerRig, type PollerRig } from '../poller/helpers';

const GIB = 1024 ** 3;
const ADMIN = 'test-admin-token-0123456789';

async function scrape(headers: Record<string, string>, extraEnv: Partial<Env> = {}, kv?: KVNamespace) {
  const testEnv = { ...(env as unknown as Env), ...extraEnv, ...(kv ? { STATE: kv } : {}) };
  return createApp().request('https://worker.test/metrics', { headers }, testEnv, createExecutionContext());
}

async function addSubUser(rig: PollerRig, label: string, limitGb: number): Promise<number> {
  const response = await rig.sim.fetch(
    new Request('https://webshare.sim/api/subuser/', {
      method: 'POST',
      headers: { Authorization: 'Token test-api-key-9f8e7d6c', 'Content-Type': 'application/json' },
      body: JSON.stringify({ label, proxy_limit: limitGb }),
    }),
  );
  return ((await response.json()) as { id: number }).id;
}

/** Two ticks at 86 % with an invalid-proxy spike: the second one carries the firing alert. */
async function accountWithAnIncident(): Promise<PollerRig> {
  const start = Date.now() - 2 * FIVE_MINUTES_MS;
  const rig = pollerRig({ proxyCount: 100 }, { SLACK_WEBHOOK_URL: 'https://slack.sink/hook' });
  routeOutbound({ 'webshare.sim': rig.sim.fetch, 'slack.sink': new RecordingSink().fetch });
  const id = await addSubUser(rig, 'acme "north"\\eu', 5);
  rig.sim.control.setSubUserUsage(id, 2 * GIB);
  rig.sim.control.setBandwidth({ usedBytes: 43 * GIB, limitBytes: 50 * GIB, projectedBytes: 60 * GIB });
  rig.sim.control.invalidate(12, { country: 'DE' });
  await rig.tick(start);
  await rig.tick(start + FIVE_MINUTES_MS);
  return rig;
}

describe('GET /metrics', () => {
  it('serves the latest snapshot in the Prometheus text format with HELP and TYPE lines', async () => {
    await accountWithAnIncident();
    const response = await scrape({ Authorization: `Bearer ${ADMIN}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await response.text();
    expect(body).toContain('# TYPE webshare_bandwidth_used_bytes gauge');
    expect(body).toContain(`webshare_bandwidth_used_bytes ${43 * GIB}`);
    expect(body).toContain(`webshare_bandwidth_limit_bytes ${50 * GIB}`);
    expect(body).toContain(`webshare_bandwidth_projected_bytes ${60 * GIB}`);
    expect(body).toContain('# TYPE webshare_requests_total counter');
    expect(body).toMatch(/^webshare_requests_failure_ratio [\d.e-]+$/m);
    expect(body).toContain('webshare_proxies_invalid{country="DE"} 12');
    expect(body).toMatch(/^webshare_quota_available\{quota="proxy_replacements"\} \d+$/m);
    expect(body).toContain(`webshare_subuser_usage_bytes{subuser="acme \\"north\\"\\\\eu",subuser_id="`);
    // A 5 GB sub-user, in the dialect's GB.
    const limit = 5 * SUITE_BYTES_PER_GB;
    expect(body).toMatch(
      new RegExp(`^webshare_subuser_limit_bytes\\{subuser="[^\\n]+",subuser_id="\\d+"\\} ${limit}$`, 'm'),
    );
    expect(body).toContain(
      'webshare_ops_alert_firing{rule="bandwidth",key="bandwidth",severity="warning"} 1',
    );
    expect(body).toMatch(/^webshare_ops_last_tick_age_seconds \d+$/m);
    expect(body).toContain('webshare_ops_notifications_queued 0');
    expect(body).toContain('webshare_ops_notifications_undeliverable 0');
    for (const line of body.trimEnd().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[^\n]*\})? -?[\d.e+-]+|NaN)$/);
    }
    expect(body).not.toContain('test-api-key-9f8e7d6c');
  });

  it('reads at most two KV keys and calls nothing upstream', async () => {
    const rig = await accountWithAnIncident();
    const calls = rig.sim.requests.length;
    const counted = countingKv((env as unknown as Env).STATE);
    const response = await scrape({ Authorization: `Bearer ${ADMIN}` }, {}, counted.kv);
    expect(response.status).toBe(200);
    expect(counted.reads()).toBeLessThanOrEqual(2);
    expect(counted.writes()).toBe(0);
    expect(rig.sim.requests.length).toBe(calls);
  });

  it.each([
    ['the scrape-only METRICS_TOKEN', 'metrics-scrape-token-0123456789'],
    ['the read-only ADMIN_READ_TOKEN', 'read-only-token-abcdef-0123456789'],
    ['ADMIN_TOKEN', ADMIN],
  ])('accepts %s', async (_name, token) => {
    const extra = {
      METRICS_TOKEN: 'metrics-scrape-token-0123456789',
      ADMIN_READ_TOKEN: 'read-only-token-abcdef-0123456789',
    };
    expect((await scrape({ Authorization: `Bearer ${token}` }, extra)).status).toBe(200);
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { Authorization: 'Bearer metrics-scrape-token-0123456788' }],
    ['a token in another scheme', { Authorization: 'Basic bWV0cmljczp4' }],
  ])('refuses %s with 401 and a Bearer challenge', async (_name, headers) => {
    const response = await scrape(headers, { METRICS_TOKEN: 'metrics-scrape-token-0123456789' });
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer realm="webshare-ops"/);
    expect(await response.text()).not.toContain('webshare_');
  });

  it('lets METRICS_TOKEN read /metrics but not the admin API', async () => {
    const extra = { METRICS_TOKEN: 'metrics-scrape-token-0123456789' };
    const response = await createApp().request(
      'https://worker.test/v1/status',
      { headers: { Authorization: 'Bearer metrics-scrape-token-0123456789' } },
      { ...(env as unknown as Env), ...extra },
      createExecutionContext(),
    );
    expect(response.status).toBe(401);
  });

  it('says which variable to set when no token is configured', async () => {
    const response = await scrape({ Authorization: 'Bearer anything' }, { ADMIN_TOKEN: '' });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('METRICS_TOKEN');
  });

  it('reports that no snapshot is available before any tick', async () => {
    const body = await (await scrape({ Authorization: `Bearer ${ADMIN}` })).text();
    expect(body).toContain('webshare_ops_snapshot_available 0');
    expect(body).not.toContain('webshare_bandwidth_used_bytes');
  });
});

describe('label values in the exposition format', () => {
  it.each([
    ['plain', 'plain'],
    ['a "quoted" label', 'a \\"quoted\\" label'],
    ['back\\slash', 'back\\\\slash'],
    ['two\nlines', 'two\\nlines'],
  ])('escapes %j as %j', (input, expected) => {
    expect(escapeLabelValue(input)).toBe(expected);
  });
});

describe('GET /metrics without ADMIN_TOKEN', () => {
  it('takes METRICS_TOKEN alone, but not the read-only token (as the admin API fails closed)', async () => {
    const extra = {
      ADMIN_TOKEN: undefined,
      METRICS_TOKEN: 'metrics-scrape-token-0123456789',
      ADMIN_READ_TOKEN: 'read-only-token-abcdef-0123456789',
    };
    expect((await scrape({ Authorization: 'Bearer metrics-scrape-token-0123456789' }, extra)).status).toBe(
      200,
    );
    expect((await scrape({ Authorization: 'Bearer read-only-token-abcdef-0123456789' }, extra)).status).toBe(
      401,
    );
  });
});
