import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// The suite's clock, in days from today (test/helpers/clock.ts); `npm run test:any-date` sets it.
const clockOffsetDays = Number(process.env.TEST_CLOCK_OFFSET_DAYS ?? '0');
if (!Number.isFinite(clockOffsetDays)) {
  throw new Error(
    `TEST_CLOCK_OFFSET_DAYS must be a number of days, got "${process.env.TEST_CLOCK_OFFSET_DAYS}"`,
  );
}

declare module 'vitest' {
  export interface ProvidedContext {
    clockOffsetDays: number;
  }
}

const suiteDialect = process.env.TEST_WEBSHARE_DIALECT ?? 'v2';
if (suiteDialect !== 'v1' && suiteDialect !== 'v2') {
  throw new Error(`TEST_WEBSHARE_DIALECT must be v1 or v2, not ${JSON.stringify(suiteDialect)}`);
}

/**
 * Files that assert v1's wire itself (its paths and request sequences, synchronous replacement, its
 * page sizes and field names): they run on v1 whatever the suite's dialect. Everything else runs on
 * the suite's dialect; the contract suite (test/webshare/contract.test.ts) and the dialect tests
 * (test/*\/dialects.test.ts) run both.
 */
const V1_WIRE_FILES = [
  // Every v1 path a tick reads × every fault (v2's faults: the contract suite and cycle/dialects).
  'test/reliability/webshare-faults.test.ts',
  // v1's synchronous replacements and their quota counts (v2's: remediation/dialects.test.ts).
  'test/remediation/remediation.test.ts',
  // v1's paged sweep over many ticks (v2's filtered sweep at 100,000 proxies: cycle/dialects.test.ts).
  'test/poller/sweep-at-scale.test.ts',
  // v1's replacement answers (201, done) and its range refusal (v2 accepts first: admin/dialects).
  'test/admin/proxies.test.ts',
];

/** The worker as the tests see it: the real bindings from wrangler.toml (KV on Miniflare). */
function workerd(dialect: string) {
  return cloudflareTest({
    wrangler: { configPath: './wrangler.toml' },
    miniflare: {
      // Tests never read these from a real account: they point the worker at the in-process simulator.
      bindings: {
        WEBSHARE_API_KEY: 'test-api-key-9f8e7d6c',
        WEBSHARE_API_BASE_URL: 'https://webshare.sim',
        WEBSHARE_API_VERSION: dialect,
        ADMIN_TOKEN: 'test-admin-token-0123456789',
      },
    },
  });
}

const perFile = { setupFiles: ['./test/setup.ts'], provide: { clockOffsetDays } };

// Every test runs inside workerd.
export default defineConfig({
  test: {
    // Renders public/openapi.json from the routes first, so /openapi.json is never stale here.
    globalSetup: ['./scripts/openapi-global-setup.ts'],
    // The worker logs structured JSON on purpose; show it only for tests that fail.
    silent: 'passed-only',
    projects: [
      {
        // What production's `auto` picks on the live API; TEST_WEBSHARE_DIALECT=v1 runs the suite on v1.
        plugins: [workerd(suiteDialect)],
        test: { name: suiteDialect, include: ['test/**/*.test.ts'], exclude: V1_WIRE_FILES, ...perFile },
      },
      {
        plugins: [workerd('v1')],
        test: { name: 'v1-wire', include: V1_WIRE_FILES, ...perFile },
      },
    ],
  },
});
