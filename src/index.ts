/** The Worker entry: HTTP through the Hono app, cron through the scheduled handler. */
import type { createApp } from './app';
import type { Env } from './env';
import { scheduled } from './scheduled';

export { CustomerProvisioner } from './provisioning/customer-provisioner';
export { IdempotencyKeyStore } from './storage/idempotency';
export { LoginThrottle } from './storage/login-throttle';
export { PollLock } from './cycle/poll-lock';
export { RateGate } from './webshare/rate-gate';
export { AccessChangeLock } from './webshare/access/change-lock';

type App = ReturnType<typeof createApp>;

/**
 * The Hono app, built on an isolate's first request, not at module load: an isolate woken by the cron
 * never builds it (its routes, their zod schemas, the OpenAPI registry: two thirds of a fresh
 * isolate's first tick, `npm run bench`). The import is dynamic so that the bundler (esbuild) also
 * defers evaluating the route modules, not only the app's construction.
 */
let app: Promise<App> | undefined;

function theApp(): Promise<App> {
  app ??= import('./app').then((module) => module.createApp());
  return app;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return (await theApp()).fetch(request, env, ctx);
  },
  scheduled,
} satisfies ExportedHandler<Env>;
