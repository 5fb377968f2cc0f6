/**
 * The dashboard in a real browser: headless Chromium (the one test-e2e/chromium.ts found and
 * launch-checked; vitest.e2e.config.ts collects this file only then, or in CI), driven by
 * playwright-core, against the whole demo stack (simulator, sink, `wrangler dev`). Logs in through the form, checks the charts and
 * the firing alerts, and saves screenshots to artifacts/ (dashboard, phone width, a Slack alert, one with its buttons).
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

/**
 * The text boxes of the visible bandwidth chart that overlap another (in page pixels), and its y-axis
 * labels. Runs in the page: a string, because the project's types are the Workers', not the DOM's.
 */
const CHART_TEXT_CHECK = `(() => {
  const chart = [...document.querySelectorAll('svg[data-chart="bandwidth"]')].find((svg) => svg.getBoundingClientRect().width > 0);
  const boxes = [...chart.querySelectorAll('text')].map((t) => ({ text: t.textContent, box: t.getBoundingClientRect() }));
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].box, b = boxes[j].box;
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
        overlaps.push(boxes[i].text + ' / ' + boxes[j].text);
    }
  const yLabels = boxes.filter((b) => /^\\d+%$/.test(b.text) && b.box.left < chart.getBoundingClientRect().left + 50).map((b) => b.text);
  const smallestFontPx = Math.min(...boxes.map((b) => b.box.height));
  return { layout: chart.dataset.layout, overlaps, yLabels, smallestFontPx, width: chart.getBoundingClientRect().width };
})()`;

interface ChartTextCheck {
  layout: string;
  overlaps: string[];
  yLabels: string[];
  smallestFontPx: number;
  width: number;
}

describe('the dashboard in Chromium', () => {
  it('logs in through the form and shows the charts and the firing alerts', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const scriptErrors: string[] = [];
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') scriptErrors.push(message.text());
    });

    await page.goto(`${stack.workerUrl}/`);
    expect(page.url()).toMatch(/\/login$/);
    await page.fill('input[name="token"]', DEMO_ADMIN_TOKEN);
    await Promise.all([page.waitForURL(`${stack.workerUrl}/`), page.click('button[type="submit"]')]);

    const wide = 'svg[data-chart="bandwidth"][data-layout="wide"]';
    const points = await page.getAttribute(`${wide} polyline.line`, 'points');
    expect(points?.trim().split(' ').length).toBeGreaterThanOrEqual(STEPS_BEFORE_SCREENSHOT);
    expect(await page.locator(`${wide} [data-series="projection"]`).count()).toBe(1);
    expect(await page.locator('svg[data-chart="invalid"][data-layout="wide"] polyline.line').count()).toBe(1);
    const desktop = await page.evaluate<ChartTextCheck>(CHART_TEXT_CHECK);
    expect(desktop).toMatchObject({ layout: 'wide', overlaps: [] });
    expect(desktop.yLabels).toEqual(['0%', '25%', '50%', '75%', '100%', '125%', '150%', '175%']);
    const groups = await page.locator('[data-list="notifications"] li').count();
    expect(groups).toBeGreaterThan(0);
    const firing = await page.locator('[data-list="firing"] li').allTextContents();
    expect(firing.some((text) => /Bandwidth at 100\.5% of 50 GB/.test(text))).toBe(true);
    expect(firing.some((text) => /Invalid proxies/.test(text))).toBe(true);
    expect(await page.locator('[data-field="invalid-count"]').textContent()).toBe('20');
    expect(scriptErrors).toEqual([]);

    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-mobile.png`, fullPage: true });
    // On a phone the narrow layout shows, its text at a readable size and still without overlaps.
    const phone = await page.evaluate<ChartTextCheck>(CHART_TEXT_CHECK);
    expect(phone).toMatchObject({ layout: 'narrow', overlaps: [] });
    expect(phone.yLabels[0]).toBe('0%');
    expect(phone.smallestFontPx).toBeGreaterThanOrEqual(10);
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

    // Chat-ops is on in the demo (SLACK_SIGNING_SECRET): a firing alert carries its silence buttons.
    const firstCritical = critical.slice(0, 1);
    const buttons = JSON.stringify(firstCritical[0]?.blocks?.filter((b) => b.type === 'actions'));
    for (const id of ['silence_1h', 'silence_until_resolved', 'open_dashboard'])
      expect(buttons).toContain(id);
    await page.setContent(slackPreviewHtml(firstCritical));
    await page.screenshot({ path: `${ARTIFACTS}/slack-alert-buttons.png`, fullPage: true });
    await page.close();
  });
});
