/** Config and notifications for notifier tests: channels point at recording sinks, never a real host. */
import { env } from 'cloudflare:test';
import type { Notification } from '../../src/model/notification';
import { parseConfig, type Config } from '../../src/config';
import { STRUCTURED_SCHEMAS } from '../../src/config/structured';
import type { Env } from '../../src/env';

export const SLACK_URL = 'https://slack.sink/services/T0001/B0001/slacksecrettoken123';
export const DISCORD_URL = 'https://discord.sink/api/webhooks/123/discordsecrettoken456';
export const HOOK_URL = 'https://hook.sink/webshare-alerts';
export const HOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export function makeConfig(overrides: Partial<Env> = {}, options: { allowProblems?: boolean } = {}): Config {
  const config = parseConfig(
    {
      ...(env as unknown as Env),
      SLACK_WEBHOOK_URL: SLACK_URL,
      DISCORD_WEBHOOK_URL: DISCORD_URL,
      ALERT_WEBHOOK_URL: HOOK_URL,
      ALERT_WEBHOOK_SECRET: HOOK_SECRET,
      ...overrides,
    },
    STRUCTURED_SCHEMAS,
  );
  if (config.problems.length > 0 && !options.allowProblems)
    throw new Error(`bad test config: ${JSON.stringify(config.problems)}`);
  return config;
}

export function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'msg_0123456789abcdef',
    event: 'alert.firing',
    severity: 'warning',
    title: 'Bandwidth at 91.2% of 50 GB',
    summary: 'Bandwidth at 91.2% of 50 GB (45.6 GB used, 4.4 GB left), past the 90% threshold.',
    fields: [
      { label: 'Used', value: '45.6 GB' },
      { label: 'Limit', value: '50 GB' },
    ],
    usage: { percent: 91.2 },
    occurred_at: '2026-11-20T12:00:00.000Z',
    alert: { key: 'bandwidth', rule: 'bandwidth', level: 2, since: '2026-11-20T11:00:00.000Z' },
    values: { percent: 91.2 },
    ...overrides,
  };
}

/** A sleep that records what it was asked to wait and returns at once. */
export function fakeSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}
