import { accessSync, constants } from 'node:fs';
import { defineConfig } from 'vitest/config';
// `.js`: Vite's config loader warns about extensionless imports; TypeScript resolves it to chromium.ts.
import { findChromium } from './test-e2e/chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium binary findChromium launch-checked; dashboard.e2e.ts drives it. */
    chromiumPath: string;
    /** Set when the browser test must run but cannot: dashboard.e2e.ts fails with it before starting. */
    chromiumProblem: string;
  }
}

const ENABLE_HINT =
  "install a Chromium (Debian: apt-get install -y chromium) or set CHROMIUM_PATH to one; .ci/run installs Debian's";

/** CI (`.ci/run` sets CI=true) must run the browser test; a developer's machine may lack a browser. */
function inCi(): boolean {
  const ci = process.env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

// End-to-end tests run in Node, not workerd: they start the real stack (simulator, sink, `wrangler dev`)
// and drive it from outside, with a real browser where the issue asks for one.
//
// The browser test runs only where a working Chromium is found (test-e2e/chromium.ts). Without one, a
// developer's `npm test` says so in one line and passes; in CI, or when CHROMIUM_PATH names a browser
// that does not launch, the test runs anyway and fails at once, naming what was tried. Decided here,
// before any test file loads, so no test is skipped from inside: the browser test is collected or not.
export default defineConfig(async () => {
  const search = await findChromium();
  const why = `no working Chromium (${search.tried.join('; ')})`;
  const mustRun = inCi() || search.explicit;
  if (search.path === null && !mustRun) {
    console.log(`browser test NOT run: ${why}. To run it, ${ENABLE_HINT}.`);
  }
  const problem =
    search.path !== null
      ? ''
      : `${why}. ${search.explicit ? 'CHROMIUM_PATH must name a browser that launches' : 'CI=true requires the browser test'}: ${ENABLE_HINT}.`;
  // promtool (Debian's prometheus package) checks /metrics; like the browser, CI always has it.
  const promtool = hasPromtool();
  if (!promtool && !inCi()) {
    console.log('promtool test NOT run: no /usr/bin/promtool. To run it, apt-get install -y prometheus.');
  }
  const include = [
    ...(search.path !== null || mustRun ? ['test-e2e/dashboard.e2e.ts'] : []),
    ...(promtool || inCi() ? ['test-e2e/metrics.e2e.ts'] : []),
  ];
  return {
    test: {
      include,
      passWithNoTests: include.length === 0,
      provide: { chromiumPath: search.path ?? '', chromiumProblem: problem },
      environment: 'node',
      testTimeout: 180_000,
      hookTimeout: 180_000,
      fileParallelism: false,
    },
  };
});

function hasPromtool(): boolean {
  try {
    accessSync('/usr/bin/promtool', constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
