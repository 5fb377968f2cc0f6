/**
 * The chat-ops var config.ts does not cover: which hosts a Slack response_url may point at. Parsed
 * here, once per request. (DISCORD_API_BASE_URL is parsed in config.ts, which reports a bad one.)
 */
import type { Env } from '../env';

/** Slack's response_url always points here (api.slack.com/interactivity/handling#message_responses). */
export const SLACK_RESPONSE_URL_HOST = 'hooks.slack.com';

export interface ChatopsSettings {
  /** Hosts a Slack response_url may point at: hooks.slack.com plus SLACK_RESPONSE_URL_HOSTS. */
  slackResponseUrlHosts: string[];
}

export function chatopsSettings(env: Env): ChatopsSettings {
  const extra = (env.SLACK_RESPONSE_URL_HOSTS ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host !== '');
  return {
    slackResponseUrlHosts: [SLACK_RESPONSE_URL_HOST, ...extra],
  };
}

/**
 * The response_url as a URL when it is https and on an allowed host; null otherwise.
 * Why check a URL that came in a signed request: only Slack can sign, so an attacker cannot choose
 * it — but if the signing secret ever leaked, an unchecked response_url would let the worker be
 * pointed at any internal or third-party URL (SSRF) carrying account data. Defence in depth.
 */
export function allowedSlackResponseUrl(value: string, hosts: readonly string[]): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && hosts.includes(url.hostname.toLowerCase()) ? url : null;
  } catch {
    return null;
  }
}

/**
 * How chat-ops talks to Webshare: waitUntil work may run up to 30 s after the response, so one slow
 * call must leave room for a retry and for posting the answer; stricter than the client's defaults.
 */
export const CHATOPS_WEBSHARE_EXTRAS = { timeoutMs: 8_000, maxRetryWaitMs: 5_000 } as const;
