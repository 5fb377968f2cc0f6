/**
 * GET /metrics checked by Prometheus's own tooling: the real stack (simulator, sink, `wrangler dev`)
 * plays the demo up to a firing incident and a signed-up customer, then the scrape is piped into
 * `promtool check metrics` (Debian's prometheus package), which parses it and applies its lint rules.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO } from '../scripts/demo/scenario';
import { DEMO_ADMIN_TOKEN, DEMO_API_KEY, startStack, type Stack } from '../scripts/demo/stack';
import { freePort } from './ports';

const PROMTOOL = '/usr/bin/promtool';
/** Every step: the incident fires, recovers, a customer signs up (a sub-user), the period renews. */
const STEPS = SCENARIO.length;

let stack: Stack;

beforeAll(async () => {
  if (!existsSync(PROMTOOL)) {
    throw new Error(
      `${PROMTOOL} is missing: install Debian's prometheus (apt-get install -y prometheus); .ci/run does`,
    );
  }
  stack = await startStack({
    workerPort: await freePort(),
    simPort: await freePort(),
    sinkPort: await freePort(),
    proxyCount: 100,
    quiet: true,
  });
  // A sub-user whose label needs escaping in the format (quotes, a backslash), there from the first tick.
  // The stack speaks Webshare v2 (the demo's default), so it is made through the v2 path.
  const created = await stack.sim.fetch(
    new Request('http://webshare.sim/api/v2/subuser/', {
      method: 'POST',
      headers: { Authorization: `Token ${DEMO_API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: 'acme "north" \\ eu', proxy_limit: 5 }),
    }),
  );
  expect(created.status).toBe(201);
  // Up to "bandwidth hits 100 %" (alerts firing, invalid proxies by country), then the sign-up.
  for (const step of [...SCENARIO.slice(0, 7), SCENARIO[8]!]) {
    await step.act(stack);
    await stack.tick();
  }
  // Once more: the tick carries the alert engine's state as of the previous tick's end.
  await stack.tick();
  expect(STEPS).toBeGreaterThan(8);
});

afterAll(async () => {
  await stack?.stop();
});

function promtoolCheck(body: string): { status: number | null; output: string } {
  const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe('GET /metrics against promtool', () => {
  it('passes `promtool check metrics` with no lint findings', async () => {
    const response = await fetch(`${stack.workerUrl}/metrics`, {
      headers: { Authorization: `Bearer ${DEMO_ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await response.text();
    expect(body).toMatch(
      /^webshare_ops_alert_firing\{rule="bandwidth",key="bandwidth",severity="critical"\} 1$/m,
    );
    expect(body).toMatch(/^webshare_proxies_invalid\{country="DE"\} \d+$/m);
    expect(body).toMatch(
      /^webshare_subuser_usage_bytes\{subuser="acme \\"north\\" \\\\ eu",subuser_id="\d+"\} \d+$/m,
    );
    expect(promtoolCheck(body)).toEqual({ status: 0, output: '' });
  });

  it('is caught by promtool when a rule is broken (the check can fail)', () => {
    const broken =
      '# HELP webshare_proxies_total x\n# TYPE webshare_proxies_total gauge\nwebshare_proxies_total 1\n';
    expect(promtoolCheck(broken).status).not.toBe(0);
  });

  it('needs a token', async () => {
    const response = await fetch(`${stack.workerUrl}/metrics`);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('webshare_bandwidth');
  });
});
