/**
 * What the worker knows of a Webshare account, in its own terms, defined once. Each dialect's client
 * reads its wire format with its own schemas (v1/schemas.ts, v2/schemas.ts) and answers in these
 * shapes; the schemas are checked against them (`satisfies`), never the other way round, so a change
 * to one dialect's wire format cannot silently change what the rest of the worker sees.
 */

/** The plan: what was bought, its refresh allowances and its billing period. */
export interface Subscription {
  proxy_type: string;
  proxy_count: number;
  /** Proxies per country code. */
  countries: Record<string, number>;
  /** Bytes per billing period; 0 means unlimited. */
  bandwidth_limit: number;
  /** Days between automatic refreshes (0: none). */
  automatic_refresh_frequency: number;
  automatic_refresh_percentage: number | null;
  automatic_refresh_last_at: string | null;
  automatic_refresh_next_at: string | null;
  ondemand_refreshes_total: number;
  ondemand_refreshes_used: number | null;
  ondemand_refreshes_available: number | null;
  proxy_replacements_total: number | null;
  unlimited_ip_authorizations: boolean;
  unlimited_burst_threads: boolean;
  /** The billing period. */
  start_date: string;
  end_date: string;
  renewals_paid: number;
  monthly_price: number | null;
  yearly_price: number | null;
  free_credits: number | null;
  subuser_count: number | null;
}

/** The account's proxy settings: its credentials, authorised IPs and list downloads. */
export interface ProxyConfig {
  countries: Record<string, number>;
  username: string;
  password: string;
  authorized_ips: string[];
  download_links: Record<string, string>;
}

export interface Proxy {
  /** v2 only: Webshare's proxy id, a string such as "d-10513". */
  id?: string | undefined;
  username?: string | null | undefined;
  password?: string | null | undefined;
  proxy_address: string;
  ports?: Record<string, number> | null | undefined;
  valid: boolean;
  last_verification?: string | null | undefined;
  country_code?: string | null | undefined;
  country_code_confidence?: number | null | undefined;
  city_name?: string | null | undefined;
}

/** One page of a list, as Webshare pages them (Django REST Framework: `next` is a URL or null). */
export interface Page<T> {
  count: number;
  next?: string | null | undefined;
  previous?: string | null | undefined;
  results: T[];
}

export type ProxyPage = Page<Proxy>;

/** The three fields of a proxy the validity sweep reads. */
export interface ProxyValidity {
  proxy_address: string;
  valid: boolean;
  country_code?: string | null | undefined;
}

export type ProxyValidityPage = Page<ProxyValidity>;

/** The refresh and replacement allowances: what is left of each this period. */
export interface ReplacementInfo {
  automatic_refresh_frequency: number;
  automatic_refresh_percentage: number;
  automatic_refresh_last_at: string | null;
  automatic_refresh_next_at: string | null;
  ondemand_refreshes_total: number;
  ondemand_refreshes_used: number;
  ondemand_refreshes_available: number;
  proxy_replacements_total: number;
  proxy_replacements_used: number;
  proxy_replacements_available: number;
}

/** A replacement: what was replaced (always with its CIDR suffix) and, once known, by what. */
export interface Replacement {
  ip_address: string;
  new_ip_address: string | null;
  created_at: string | null;
}

/**
 * Where a replacement stands. v1 replaces synchronously (always `completed`); v2 answers `validating`
 * and moves on to `processing`, then `completed` or `failed` (with an `error_code`).
 */
export type ReplacementState = 'validating' | 'validated' | 'processing' | 'completed' | 'failed';

/**
 * A replacement as a client returns it. On v1 it is exactly `Replacement`; on v2 it also carries
 * Webshare's replacement id and state (and, once failed, its `error_code`), so callers can follow it.
 */
export type ReplacementResult = Replacement & {
  id?: number;
  state?: ReplacementState;
  error_code?: string | null;
  error?: string | null;
};

/** Usage over the current period: bandwidth and requests, with their failure reasons. */
export interface ProxyStats {
  bandwidth_used: number;
  bandwidth_remaining: number | null;
  bandwidth_limit: number;
  bandwidth_projected: number | null;
  last_request_at: string | null;
  requests_total: number;
  requests_successful: number;
  requests_failed: number;
  requests_countries: Record<string, number>;
  /** Failure reasons and, as `http_<code>`, failure status codes, counted together. */
  requests_error_reasons: Record<string, number>;
}

/** A sub-user, with its proxy credentials. */
export interface SubUser {
  id: number;
  label: string;
  proxy_username: string;
  proxy_password: string;
  proxy_countries: Record<string, number> | null;
  /** Bandwidth limit in the dialect's GB (see WebshareApi.bytesPerGb); 0 means unlimited. */
  proxy_limit: number;
  /** Bytes used this period. */
  proxy_usage: number;
  max_thread_count: number | null;
  last_use: string | null;
  created_at?: string | null | undefined;
  updated_at?: string | null | undefined;
  bandwidth_use_start_date?: string | null | undefined;
  bandwidth_use_end_date?: string | null | undefined;
  verification_status: string | null;
}

/**
 * A sub-user as a list shows it. v1 lists carry the proxy credentials; v2 sub-user objects never do
 * (they come from masquerading as each one, a request per sub-user), so there they are null.
 */
export type ListedSubUser = Omit<SubUser, 'proxy_username' | 'proxy_password'> & {
  proxy_username: string | null;
  proxy_password: string | null;
};

export type SubUserPage = Page<ListedSubUser>;

// ---- Request bodies -------------------------------------------------------------------------------

/** The longest sub-user label we create or accept (admin API, chat-ops, Discord's option): readable in chat. */
export const SUBUSER_LABEL_MAX_LENGTH = 128;

export interface SubUserCreate {
  label: string;
  proxy_limit: number;
  max_thread_count?: number;
  proxy_countries?: Record<string, number> | null;
}

export type SubUserUpdate = Partial<SubUserCreate> & { bandwidth_use_start_date?: string };
