/**
 * vitest globalSetup: regenerate public/openapi.json before any test loads the worker, so
 * tests always serve the document the routes describe now. A child process, because rendering imports
 * src/ in Node (Durable Object classes need the `cloudflare:workers` stand-in of node-cloudflare-stub).
 * CI additionally runs `npm run openapi:check` first, so a stale committed file still fails there.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(
    process.execPath,
    ['--import', 'tsx', '--import', './scripts/node-cloudflare-stub.mjs', 'scripts/build-openapi.ts'],
    { stdio: 'inherit' },
  );
}
