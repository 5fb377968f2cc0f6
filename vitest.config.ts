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

// Every test runs inside workerd with the real bindings from wrangler.toml (KV on Miniflare).
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        // Tests never read these from a real account: they point the worker at the in-process simulator.
        bindings: {
          WEBSHARE_API_KEY: 'test-api-key-9f8e7d6c',
          WEBSHARE_API_BASE_URL: 'https://webshare.sim',
          // The suite was written against v1; v2 and auto are chosen per test (describe.each over dialects).
          WEBSHARE_API_VERSION: 'v1',
          ADMIN_TOKEN: 'test-admin-token-0123456789',
        },
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    // Renders src/generated/openapi.json from the routes first, so /openapi.json is never stale here.
    globalSetup: ['./scripts/openapi-global-setup.ts'],
    setupFiles: ['./test/setup.ts'],
    provide: { clockOffsetDays },
    // The worker logs structured JSON on purpose; show it only for tests that fail.
    silent: 'passed-only',
  },
});
