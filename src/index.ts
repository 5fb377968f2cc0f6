/** The Worker entry: HTTP through the Hono app, cron through the scheduled handler. */
import { createApp } from './app';
import type { Env } from './env';
import { scheduled } from './scheduled';

export { CustomerProvisioner } from './provisioning/customer-provisioner';
export { IdempotencyKeyStore } from './storage/idempotency';
export { LoginThrottle } from './storage/login-throttle';
export { PollLock } from './cycle/poll-lock';
export { RateGate } from './webshare/rate-gate';
export { AccessChangeLock } from './webshare/access/change-lock';

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled,
} satisfies ExportedHandler<Env>;
