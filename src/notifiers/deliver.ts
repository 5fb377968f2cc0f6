/**
 * Delivery: every channel in parallel (one slow or failing channel never blocks the others), each
 * request with its own timeout, every attempt taken from the tick's subrequest budget.
 *
 * Within a tick a job is attempted up to `attempts_per_tick` times:
 * - 2xx: delivered.
 * - 429: wait `Retry-After` (or Discord's JSON `retry_after`) when it is short (≤ 2 s) and retry;
 *   otherwise queue for a later tick no earlier than it says.
 * - 5xx, 408, timeouts, network errors: retry with full-jitter backoff, then queue for the next tick.
 * - any other 4xx (404/410 gone, 400 invalid_payload, 401/403): undeliverable — never retried.
 * Jobs of one channel go out in order; once one of them must wait, the rest of that channel waits
 * behind it (a resolved message never overtakes its firing message).
 */
import type { Channel, Notification } from '../model/notification';
import type { Config } from '../config';
import type { SubrequestBudget } from '../lib/budget';
import { fullJitterBackoffMs, parseRetryAfterSeconds, type Sleep } from '../lib/http';
import { send, type Attempt, type Judgement, type OutboundRequest } from '../lib/send';
import type { Logger } from '../lib/log';
import { scrubSecrets } from '../lib/log';
import { discordRequest } from './discord';
import { slackRequest } from './slack';
import { webhookRequest } from './webhook';

export interface DeliveryJob {
  /** Unique per (notification, channel). */
  deliveryId: string;
  channel: Channel;
  notification: Notification;
  /** Attempts made on earlier ticks. */
  attempts: number;
}

export type DeliveryResult =
  | { outcome: 'delivered'; status: number; attempts: number }
  | { outcome: 'retry'; status: number | null; error: string; attempts: number; notBeforeMs: number }
  | { outcome: 'undeliverable'; status: number; error: string; attempts: number }
  /** Not attempted this tick: no budget left, or queued behind an earlier job of its channel. */
  | { outcome: 'deferred'; reason: string; attempts: number };

export interface DeliveryContext {
  config: Config;
  budget: SubrequestBudget;
  log: Logger;
  nowMs: number;
  sleep?: Sleep;
  random?: () => number;
  /** Channels that must not be attempted this tick (an earlier message of theirs waits for a later tick). */
  blocked?: ReadonlySet<Channel>;
}

const SHORT_RETRY_AFTER_SECONDS = 2;
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 2000;

export function configuredChannels(config: Config): Channel[] {
  const out: Channel[] = [];
  if (config.slack.webhookUrl) out.push('slack');
  if (config.discord.webhookUrl) out.push('discord');
  if (config.alertWebhook.url && config.alertWebhook.secret) out.push('webhook');
  return out;
}

async function buildRequest(
  channel: Channel,
  n: Notification,
  config: Config,
  nowMs: number,
): Promise<{ url: string; init: RequestInit } | null> {
  // Every message links back to the dashboard when PUBLIC_URL is set, and Slack's carry silence
  // buttons when chat-ops is set up (added at send time, so queued messages pick up the current config).
  const links = { dashboardUrl: config.dashboardUrl, silenceButtons: Boolean(config.slack.signingSecret) };
  if (channel === 'slack')
    return config.slack.webhookUrl ? slackRequest(config.slack.webhookUrl, n, links) : null;
  if (channel === 'discord') {
    return config.discord.webhookUrl ? discordRequest(config.discord.webhookUrl, n, links) : null;
  }
  const { url, secret } = config.alertWebhook;
  return url && secret ? webhookRequest(url, secret, n, nowMs, links) : null;
}

/** Delivers every job; results are in the order of `jobs`. Never throws. */
export async function deliverJobs(jobs: DeliveryJob[], ctx: DeliveryContext): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = new Array<DeliveryResult>(jobs.length);
  const byChannel = new Map<Channel, number[]>();
  jobs.forEach((job, index) => byChannel.set(job.channel, [...(byChannel.get(job.channel) ?? []), index]));
  await Promise.all(
    [...byChannel.entries()].map(async ([channel, indexes]) => {
      let blocked = ctx.blocked?.has(channel) ?? false;
      for (const index of indexes) {
        const job = jobs[index] as DeliveryJob;
        if (blocked) {
          results[index] = {
            outcome: 'deferred',
            reason: 'queued behind an earlier message',
            attempts: job.attempts,
          };
          continue;
        }
        const result = await deliverOne(job, ctx);
        results[index] = result;
        if (result.outcome === 'retry' || result.outcome === 'deferred') blocked = true;
      }
    }),
  );
  return results;
}

async function deliverOne(job: DeliveryJob, ctx: DeliveryContext): Promise<DeliveryResult> {
  if (!channelReady(job.channel, ctx.config)) {
    return { outcome: 'undeliverable', status: 0, error: 'channel not configured', attempts: job.attempts };
  }
  const { verdict, attempts } = await send<DeliveryResult>(
    // Signed with the wall clock of each attempt: receivers check the timestamp against theirs.
    async () =>
      (await buildRequest(job.channel, job.notification, ctx.config, Date.now())) as OutboundRequest,
    {
      timeoutMs: ctx.config.alerts.delivery.timeout_ms,
      attempts: ctx.config.alerts.delivery.attempts_per_tick,
      sleep: ctx.sleep,
      beforeAttempt: () => ctx.budget.tryTake(),
      judge: (attempt, index) => judgeDelivery(job, attempt, job.attempts + index + 1, index, ctx),
    },
  );
  // No verdict: the budget was spent before the first attempt.
  if (verdict) return verdict;
  return { outcome: 'deferred', reason: 'subrequest budget spent', attempts: job.attempts + attempts };
}

function channelReady(channel: Channel, config: Config): boolean {
  return configuredChannels(config).includes(channel);
}

/** What one delivery attempt means, and whether to try again within this tick. */
async function judgeDelivery(
  job: DeliveryJob,
  attempt: Attempt,
  attempts: number,
  index: number,
  ctx: DeliveryContext,
): Promise<Judgement<DeliveryResult>> {
  const backoff = () => fullJitterBackoffMs(index, BACKOFF_BASE_MS, BACKOFF_CAP_MS, ctx.random);
  const where = { channel: job.channel, id: job.deliveryId };
  const { response } = attempt;
  if (response === undefined) {
    const timeoutMs = ctx.config.alerts.delivery.timeout_ms;
    const error = attempt.failure === 'timeout' ? `timed out after ${timeoutMs} ms` : 'network error';
    ctx.log.warn('notification attempt failed', { ...where, error });
    const verdict = { outcome: 'retry', status: null, error, attempts, notBeforeMs: ctx.nowMs } as const;
    return { verdict, retryInMs: backoff() };
  }
  const status = response.status;
  if (status >= 200 && status < 300) return { verdict: { outcome: 'delivered', status, attempts } };
  const text = await readText(response);
  const error = describeError(job.channel, status, text, ctx.config.secretValues);
  if (status === 429) {
    const retryAfter = retryAfterSeconds(response, text, ctx.nowMs) ?? 30;
    ctx.log.warn('notification rate limited', { ...where, retryAfter });
    const notBeforeMs = ctx.nowMs + retryAfter * 1000;
    const verdict = { outcome: 'retry', status, error, attempts, notBeforeMs } as const;
    return { verdict, retryInMs: retryAfter <= SHORT_RETRY_AFTER_SECONDS ? retryAfter * 1000 : null };
  }
  if (status >= 500 || status === 408) {
    ctx.log.warn('notification attempt failed', { ...where, status });
    const verdict = { outcome: 'retry', status, error, attempts, notBeforeMs: ctx.nowMs } as const;
    return { verdict, retryInMs: backoff() };
  }
  ctx.log.error('notification undeliverable', { ...where, status, error });
  return { verdict: { outcome: 'undeliverable', status, error, attempts } };
}

async function readText(response: Response): Promise<string> {
  try {
    return (await response.text()).slice(0, 500);
  } catch {
    return '';
  }
}

/** Seconds to wait from `Retry-After`, or Discord's JSON `retry_after` (seconds, fractional). */
function retryAfterSeconds(response: Response, text: string, nowMs: number): number | undefined {
  const header = parseRetryAfterSeconds(response.headers.get('retry-after'), nowMs);
  if (header !== undefined) return header;
  try {
    const body = JSON.parse(text) as { retry_after?: unknown };
    if (typeof body.retry_after === 'number' && body.retry_after >= 0) return Math.ceil(body.retry_after);
  } catch {
    // Not JSON.
  }
  return undefined;
}

/**
 * A short, safe description of a failed response: Slack's error code (`invalid_payload`,
 * `no_service`, …) or Discord's `code`/`message`. Never a URL; secrets scrubbed.
 */
function describeError(channel: Channel, status: number, text: string, secrets: readonly string[]): string {
  let detail = '';
  const trimmed = text.trim();
  if (/^[a-z_]{1,60}$/.test(trimmed)) detail = trimmed;
  else {
    try {
      const body = JSON.parse(trimmed) as { code?: unknown; message?: unknown };
      const parts = [body.code, body.message].filter((p) => typeof p === 'string' || typeof p === 'number');
      detail = parts.join(' ').slice(0, 120);
    } catch {
      // Not JSON: keep no detail (an HTML error page says nothing useful).
    }
  }
  return scrubSecrets(`${channel} answered ${status}${detail ? ` (${detail})` : ''}`, secrets);
}
