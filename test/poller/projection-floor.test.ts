/**
 * Webshare's `bandwidth_projected` can be below what is already used (seen with a v1 account early in
 * a period). The snapshot takes the larger of the two, so the alert, the dashboard and /metrics all
 * show the same projection, never one below the usage.
 */
import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import type { Env } from '../../src/env';
import { formatBytes } from '../../src/lib/format';
import { setNow } from '../helpers/clock';
import { routeOutbound } from '../helpers/outbound';
import { RecordingSink } from '../helpers/sink';
import { FIVE_MINUTES_MS, pollerRig, START_MS } from './helpers';

const GIB = 1024 ** 3;
const ADMIN = 'test-admin-token-0123456789';

async function read(path: string): Promise<string> {
  const response = await createApp().request(
    `https://worker.test${path}`,
    { headers: { Authorization: `Bearer ${ADMIN}` } },
    env as unknown as Env,
    createExecutionContext(),
  );
  expect(response.status).toBe(200);
  return response.text();
}

describe('a projection below the usage', () => {
  it.each([
    ['below the usage', 30 * GIB, 46 * GIB],
    ['zero', 0, 46 * GIB],
    ['above the usage (kept as it is)', 48 * GIB, 48 * GIB],
  ])(
    'shows the same projection everywhere when Webshare reports one %s',
    async (_name, reported, shown) => {
      const slack = new RecordingSink();
      const rig = pollerRig({ proxyCount: 20 }, { SLACK_WEBHOOK_URL: 'https://slack.sink/hook' });
      routeOutbound({ 'webshare.sim': rig.sim.fetch, 'slack.sink': slack.fetch });
      rig.sim.control.setBandwidth({ usedBytes: 46 * GIB, limitBytes: 50 * GIB, projectedBytes: reported });
      await rig.tick(START_MS);
      await rig.tick(START_MS + FIVE_MINUTES_MS);

      const alert = slack.requests.map((r) => r.body).find((body) => body.includes('Bandwidth at 92%'));
      expect(alert).toBeDefined();
      expect(alert).toContain(`projected ${formatBytes(shown)}`);
      if (reported < shown) expect(alert).not.toContain(`projected ${formatBytes(reported)}`);

      setNow(START_MS + FIVE_MINUTES_MS + 60_000);
      const dashboard = await read('/dashboard');
      expect(dashboard).toMatch(new RegExp(`data-field="projected">${formatBytes(shown)} `));

      const metrics = await read('/metrics');
      expect(metrics).toContain(`webshare_bandwidth_projected_bytes ${shown}`);
    },
    30_000,
  );
});
