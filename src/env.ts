/**
 * The Worker's bindings. Written by hand rather than by `wrangler types`: most of these are secrets,
 * which wrangler.toml never declares, so generated types would miss exactly the values that matter.
 * Every value is parsed (and validated) once per invocation by `loadConfig` in config.ts.
 */
export interface Env {
  STATE: KVNamespace;
  PROVISIONER?: DurableObjectNamespace;
  /** Serialises poll cycles (src/poller/poll-lock.ts). */
  POLL_LOCK?: DurableObjectNamespace;
  /** Idempotency-Key records of the admin API (IdempotencyKeyStore, one object per key). */
  IDEMPOTENCY?: DurableObjectNamespace;
  /** Failed dashboard logins per client (LoginThrottle, one object per IP or IPv6 /64). */
  LOGIN_THROTTLE?: DurableObjectNamespace;
  /** Webshare request slots for the whole account (RateGate, one object; src/webshare/rate-gate.ts). */
  RATE_GATE?: DurableObjectNamespace;

  WEBSHARE_API_KEY?: string;
  WEBSHARE_API_BASE_URL?: string;
  ADMIN_TOKEN?: string;
  ADMIN_READ_TOKEN?: string;
  /** Bearer token that may read GET /metrics and nothing else. */
  METRICS_TOKEN?: string;
  SLACK_WEBHOOK_URL?: string;
  DISCORD_WEBHOOK_URL?: string;
  ALERT_WEBHOOK_URL?: string;
  ALERT_WEBHOOK_SECRET?: string;
  SLACK_SIGNING_SECRET?: string;
  SLACK_ALLOWED_USERS?: string;
  /** Chat-ops: Slack workspace ids (T…, or an Enterprise Grid org E…) answered; others are refused. */
  SLACK_ALLOWED_TEAMS?: string;
  DISCORD_PUBLIC_KEY?: string;
  DISCORD_APPLICATION_ID?: string;
  DISCORD_ALLOWED_USERS?: string;
  /** Chat-ops: Discord server ids answered; other servers and every DM are refused. */
  DISCORD_ALLOWED_GUILDS?: string;
  /** Chat-ops: Discord API base for interaction follow-ups (default https://discord.com/api/v10). */
  DISCORD_API_BASE_URL?: string;
  /** Chat-ops: extra hosts a Slack response_url may point at (comma-separated; tests and demos only). */
  SLACK_RESPONSE_URL_HOSTS?: string;
  SIGNUP_WEBHOOK_SECRET?: string;
  STRIPE_WEBHOOK_SECRET?: string;

  /** Structured config: a TOML table (object) or a JSON string (`wrangler dev --var` passes strings). */
  ALERTS?: unknown;
  PLANS?: unknown;
  /** Auto-remediation settings (see src/remediation/config.ts); off unless `enabled` is true. */
  REMEDIATION?: unknown;
  /** Scheduled digest (see src/config/digest.ts): a table, a JSON string or "weekly:mon:09"; off by default. */
  DIGEST?: unknown;

  /** Outbound requests one cron tick may make (Workers Free plan: 50). */
  SUBREQUEST_BUDGET?: string | number;
  /** Days of snapshot history kept in KV. */
  HISTORY_RETENTION_DAYS?: string | number;
  /** Cap on proxy-list pages per tick, to bound a tick's CPU time (Free plan: 10 ms). */
  SWEEP_PAGES_PER_TICK?: string | number;
  /** Public URL of this worker, used for links in notifications. */
  PUBLIC_URL?: string;
}
