/**
 * Fetches the account's sources for one tick and turns each into its snapshot summary. Every call is
 * isolated: a failure becomes a SourceError in the snapshot instead of an exception.
 */
import { WebshareError } from '../webshare/errors';
import type { ListedSubUser, ProxyStats, ReplacementInfo, Subscription } from '../webshare/types';
import type {
  QuotaSummary,
  SnapshotSource,
  SourceError,
  StatsSummary,
  SubUserUsage,
  SubscriptionSummary,
} from '../model/snapshot';
import { toSubUserUsage } from '../model/snapshot';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: SourceError };

/** Runs one source call, turning any failure into a SourceError (never the API key: messages are ours). */
export async function capture<T>(source: SnapshotSource, call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error: toSourceError(source, error) };
  }
}

export function toSourceError(source: SnapshotSource, error: unknown): SourceError {
  if (error instanceof WebshareError) {
    return { source, kind: error.name, status: error.status ?? null, message: error.message };
  }
  return {
    source,
    kind: 'InternalError',
    status: null,
    message: 'unexpected failure while reading Webshare',
  };
}

export function summariseStats(stats: ProxyStats): StatsSummary {
  return {
    bandwidth_used: stats.bandwidth_used,
    bandwidth_limit: stats.bandwidth_limit,
    bandwidth_remaining: stats.bandwidth_remaining,
    bandwidth_projected: projectionFloor(stats),
    requests_total: stats.requests_total,
    requests_successful: stats.requests_successful,
    requests_failed: stats.requests_failed,
    requests_countries: stats.requests_countries,
    requests_error_reasons: stats.requests_error_reasons,
    last_request_at: stats.last_request_at,
  };
}

/**
 * Webshare's projection, never below what is already used: early in a period (seen with a v1 account)
 * it can report less than the usage so far, and an alert then read "92 GB used; projected 30 GB".
 * Fixed here, where the snapshot is built, so alerts, the dashboard and /metrics show one number.
 */
function projectionFloor(stats: ProxyStats): number | null {
  return stats.bandwidth_projected === null
    ? null
    : Math.max(stats.bandwidth_projected, stats.bandwidth_used);
}

export function summariseQuotas(info: ReplacementInfo): QuotaSummary {
  return {
    ondemand_refreshes_total: info.ondemand_refreshes_total,
    ondemand_refreshes_used: info.ondemand_refreshes_used,
    ondemand_refreshes_available: info.ondemand_refreshes_available,
    proxy_replacements_total: info.proxy_replacements_total,
    proxy_replacements_used: info.proxy_replacements_used,
    proxy_replacements_available: info.proxy_replacements_available,
    automatic_refresh_next_at: info.automatic_refresh_next_at,
  };
}

export function summariseSubscription(subscription: Subscription, fetchedAt: string): SubscriptionSummary {
  return {
    proxy_type: subscription.proxy_type,
    proxy_count: subscription.proxy_count,
    bandwidth_limit: subscription.bandwidth_limit,
    start_date: subscription.start_date,
    end_date: subscription.end_date,
    fetched_at: fetchedAt,
  };
}

/** `bytesPerGb`: the dialect's GB (WebshareApi.bytesPerGb), as `proxy_limit` is in GB. */
export function summariseSubUsers(subusers: ListedSubUser[], bytesPerGb: number): SubUserUsage[] {
  return subusers.map((subuser) => toSubUserUsage(subuser, bytesPerGb));
}

/** Webshare could not be reached or refused the key: what the watchdog counts. */
export function isReachabilityFailure(error: SourceError): boolean {
  return (
    error.status === 401 ||
    (error.status !== null && error.status >= 500) ||
    ['WebshareTimeoutError', 'WebshareNetworkError', 'WebshareUnauthorizedError'].includes(error.kind)
  );
}
