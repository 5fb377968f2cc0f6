/**
 * Finds the Chromium the browser test drives, in one place: vitest.e2e.config.ts asks it whether the
 * browser test can run at all, and dashboard.e2e.ts launches the binary it found. A candidate counts
 * only if it actually launches headless (a binary that exists but lacks its libraries is not a browser).
 *
 * Order: $CHROMIUM_PATH when set (then only that one: an explicit choice that fails is an error, not
 * a silent fallback), else `chromium`, `chromium-browser`, `google-chrome` on PATH, then in /usr/bin.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

/** The flags this machine needs: no sandbox as root, and no background calls to Google's hosts. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome'] as const;

/** A launch-check that takes longer than this is a browser we cannot use for a test either. */
const LAUNCH_CHECK_TIMEOUT_MS = 30_000;

export interface ChromiumSearch {
  /** The first candidate that launched, or null. */
  path: string | null;
  /** Set when CHROMIUM_PATH named the browser: then a failure is the user's explicit choice failing. */
  explicit: boolean;
  /** What was tried and why each failed, for the message that says why the test did not run. */
  tried: string[];
}

export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumSearch> {
  const explicit = env.CHROMIUM_PATH?.trim();
  const candidates = explicit ? [explicit] : candidatePaths(env.PATH ?? '');
  const tried: string[] = [];
  if (!explicit && candidates.length === 0) {
    tried.push(`${CHROMIUM_NAMES.join(', ')}: not on PATH or in /usr/bin`);
  }
  for (const path of candidates) {
    const failure = await launchFailure(path);
    if (failure === null) return { path, explicit: Boolean(explicit), tried };
    tried.push(`${path}: ${failure}`);
  }
  return { path: null, explicit: Boolean(explicit), tried };
}

function candidatePaths(pathVariable: string): string[] {
  const dirs = [...pathVariable.split(delimiter).filter((dir) => dir !== ''), '/usr/bin'];
  const found: string[] = [];
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (isExecutable(path) && !found.includes(path)) found.push(path);
    }
  }
  return found;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** null when the browser starts headless and closes again; otherwise the first line of why not. */
async function launchFailure(path: string): Promise<string | null> {
  try {
    const browser = await chromium.launch({
      executablePath: path,
      args: CHROMIUM_ARGS,
      timeout: LAUNCH_CHECK_TIMEOUT_MS,
    });
    await browser.close();
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.split('\n').find((line) => line.trim() !== '') ?? 'did not launch';
  }
}
