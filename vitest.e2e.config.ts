import { defineConfig } from 'vitest/config';

// End-to-end tests run in Node, not workerd: they start the real stack (simulator, sink, `wrangler dev`)
// and drive it from outside, with a real browser where the issue asks for one.
export default defineConfig({
  test: {
    include: ['test-e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
