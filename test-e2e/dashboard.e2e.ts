/**
 * The dashboard in a real browser: headless Chromium (the one test-e2e/chromium.ts found and
 * launch-checked; vitest.e2e.config.ts collects this file only then, or in CI), driven by
 * playwright-core, against the whole demo stack (simulator, sink, `wrangler dev`). Logs in through the form, checks the charts and
 * the firing alerts, and saves screenshots to artifacts/ (dashboard, phone width, a Slack alert).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCENARIO } from '../scripts/demo/scenario';
import { DEMO_ADMIN_TOKEN, startStack, type Stack } from '../scripts/demo/stack';
import { CHROMIUM_ARGS } from './chromium';
import { freePort } from './ports';
import { slackPreviewHtml } from './slack-preview';

const ARTIFACTS = 'artifacts';
/** The scenario up to "bandwidth hits 100 %": alerts are firing and the invalid-proxy spike is visible. */
const STEPS_BEFORE_SCREENSHOT = 7;

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  // CI must run this test even without a browser: fail at once, before starting the stack.
  const problem = inject('chromiumProblem');
  if (problem) throw new Error(`browser test: ${problem}`);
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startStack({
    workerPort: await freePort(),
    simPort: await freePort(),
    sinkPort: await freePort(),
    proxyCount: 100,
    quiet: true,
  });
  for (const step of SCENARIO.slice(0, STEPS_BEFORE_SCREENSHOT)) {
    await step.act(stack);
    await stack.tick();
  }
  browser = await chromium.launch({ executablePath: inject('chromiumPath'), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the dashboard in Chromium', () => {
  it('logs in through the form and shows the charts and the firing alerts', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const scriptErrors: string[] = [];
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') scriptErrors.push(message.text());
    });

    await page.goto(`${stack.workerUrl}/`);
    expect(page.url()).toMatch(/\/login$/);
    await page.fill('input[name="token"]', DEMO_ADMIN_TOKEN);
    await Promise.all([page.waitForURL(`${stack.workerUrl}/`), page.click('button[type="submit"]')]);

    const points = await page.getAttribute('svg[data-chart="bandwidth"] polyline.line', 'points');
    expect(points?.trim().split(' ').length).toBeGreaterThanOrEqual(STEPS_BEFORE_SCREENSHOT);
    expect(await page.locator('svg[data-chart="bandwidth"] [data-series="projection"]').count()).toBe(1);
    expect(await page.locator('svg[data-chart="invalid"] polyline.line').count()).toBe(1);
    const firing = await page.locator('[data-list="firing"] li').allTextContents();
    expect(firing.some((text) => /Bandwidth at 100\.5% of 50 GB/.test(text))).toBe(true);
    expect(firing.some((text) => /Invalid proxies/.test(text))).toBe(true);
    expect(await page.locator('[data-field="invalid-count"]').textContent()).toBe('20');
    expect(scriptErrors).toEqual([]);

    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-mobile.png`, fullPage: true });
    // Readable on a phone: nothing wider than the screen.
    // A string: this runs in the page, where the DOM exists (the project's types are the Workers').
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('delivered the alerts to Slack once per transition, and renders one for the README', async () => {
    const slack = stack.sink.messages
      .filter((m) => m.channel === 'slack')
      .map((m) => m.body as { blocks?: { type: string }[] });
    const headers = slack.map((m) => JSON.stringify(m.blocks?.[0] ?? ''));
    expect(headers.filter((h) => h.includes('Bandwidth at 82%'))).toHaveLength(1);
    expect(headers.filter((h) => h.includes('Bandwidth at 93%'))).toHaveLength(1);
    expect(headers.filter((h) => h.includes('Bandwidth at 100.5%'))).toHaveLength(1);
    expect(stack.sink.messages.filter((m) => m.channel === 'webhook').every((m) => m.signatureValid)).toBe(
      true,
    );

    const page = await browser.newPage({ viewport: { width: 720, height: 400 } });
    const critical = slack.filter((m) => JSON.stringify(m).includes('CRITICAL'));
    writeFileSync(`${ARTIFACTS}/slack-alert.html`, slackPreviewHtml(critical));
    await page.setContent(slackPreviewHtml(critical));
    await page.screenshot({ path: `${ARTIFACTS}/slack-alert.png`, fullPage: true });
    await page.close();
  });
});
