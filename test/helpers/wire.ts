/**
 * The suite's Webshare dialect (WEBSHARE_API_VERSION in vitest.config.ts: v2 unless
 * TEST_WEBSHARE_DIALECT=v1) and the paths a test injects faults on or counts requests to, in that
 * dialect. A test written with these runs on either dialect; one about a single dialect's wire names
 * the dialect in its own env instead.
 */
import { env } from 'cloudflare:test';
import type { Env } from '../../src/env';
import type { WebshareDialect } from '../../src/model/dialect';
import { traitsOf } from '../../src/webshare/dialects';

export const SUITE_DIALECT = (env as unknown as Env).WEBSHARE_API_VERSION as WebshareDialect;

interface WirePaths {
  /** Sub-user list and create. */
  subusers: string;
  /** One sub-user, by id. */
  subuser(id: number): string;
  /** The refresh of one sub-user's own proxy list. */
  subuserRefresh(id: number): string;
  proxyList: string;
  /** Where a tick reads usage (bandwidth, requests). */
  stats: string;
  /** Replacements: v1 creates and lists them here; v2 creates them here (/api/v3/proxy/replace/). */
  replacements: string;
  /** The on-demand refresh of the whole list. */
  refresh: string;
  /** The account's subscription (v2: also what its replacement quotas are read with). */
  subscription: string;
  /** Where the proxy config is read (v2: its settings; the credentials and IPs come from two more). */
  proxyConfig: string;
  /** Where the replacement and refresh quotas are read (v2: the subscription, with its plan). */
  quotas: string;
  /** The write that resets the proxy password (v2 sets one we generate). */
  passwordReset: string;
  passwordResetMethod: 'POST' | 'PATCH';
  /** Where an authorised IP is added (v1: the whole set is posted to the proxy config). */
  authorizeIp: string;
  /** How the proxy list is asked for some countries (v1 `countries=US-FR`, v2 `country_code__in=US,FR`). */
  countriesQuery(codes: string[]): Record<string, string>;
  /** What POST /v1/proxies/replace answers: 201 done (v1, synchronous), 202 accepted (v2). */
  replaceStatus: 201 | 202;
}

export const WIRE_PATHS: Record<WebshareDialect, WirePaths> = {
  v1: {
    subusers: '/api/subuser/',
    subuser: (id) => `/api/subuser/${id}/`,
    subuserRefresh: (id) => `/api/subuser/${id}/refresh/`,
    proxyList: '/api/proxy/list/',
    stats: '/api/proxy/stats/',
    replacements: '/api/proxy/replacement/',
    refresh: '/api/proxy/replacement/info/refresh/',
    subscription: '/api/subscription/',
    proxyConfig: '/api/proxy/config/',
    quotas: '/api/proxy/replacement/info/',
    passwordReset: '/api/proxy/config/reset_password/',
    passwordResetMethod: 'POST',
    authorizeIp: '/api/proxy/config/',
    countriesQuery: (codes) => ({ countries: codes.join('-') }),
    replaceStatus: 201,
  },
  v2: {
    subusers: '/api/v2/subuser/',
    subuser: (id) => `/api/v2/subuser/${id}/`,
    subuserRefresh: (id) => `/api/v2/subuser/${id}/refresh/`,
    proxyList: '/api/v2/proxy/list/',
    stats: '/api/v2/stats/aggregate/',
    replacements: '/api/v3/proxy/replace/',
    refresh: '/api/v2/proxy/list/refresh/',
    subscription: '/api/v2/subscription/',
    proxyConfig: '/api/v3/proxy/config',
    quotas: '/api/v2/subscription/',
    passwordReset: '/api/v2/proxy/config/',
    passwordResetMethod: 'PATCH',
    authorizeIp: '/api/v2/proxy/ipauthorization/',
    countriesQuery: (codes) => ({ country_code__in: codes.join(',') }),
    replaceStatus: 202,
  },
};

/** The suite dialect's paths. */
export const WIRE = WIRE_PATHS[SUITE_DIALECT];

/** Bytes in one of the suite dialect's GB (a sub-user's `proxy_limit` is stated in them). */
export const SUITE_BYTES_PER_GB = traitsOf(SUITE_DIALECT).bytesPerGb;
