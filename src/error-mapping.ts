/**
 * Maps any thrown value to a status, the one error envelope and headers: known errors (ApiError,
 * ConfigError, every Webshare failure) to honest statuses, anything else to a logged 500. The app's
 * onError, chat-ops replies and signup-hook answers all use it.
 */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ConfigError } from './config';
import { ApiError, envelope, type ErrorBody } from './lib/api-error';
import {
  AuthorizedIpsBusyError,
  AuthorizedIpsChangeTooLargeError,
  AuthorizedIpsIncompleteError,
  AuthorizedIpsLimitError,
} from './webshare/access';
import {
  SubrequestBudgetExhaustedError,
  WebshareBadRequestError,
  WebshareError,
  WebshareForbiddenError,
  WebshareLocalRateLimitError,
  WebshareNetworkError,
  WebshareNotFoundError,
  WebshareRateLimitError,
  WebshareResponseError,
  WebshareSubUserHeaderIgnoredError,
  WebshareTimeoutError,
  WebshareUnauthorizedError,
  WebshareUnavailableError,
} from './webshare/errors';

/** What the admin API, the hooks and chat-ops answer when Webshare ignored X-Subuser. */
export const SUBUSER_HEADER_IGNORED_CODE = 'webshare_subuser_header_ignored';

export interface MappedError {
  status: ContentfulStatusCode;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True for failures nobody anticipated: logged with their stack. */
  unexpected: boolean;
}

/** Maps any thrown value to a status, an envelope and headers. */
export function mapError(error: unknown): MappedError {
  if (error instanceof ApiError) {
    return {
      status: error.status as ContentfulStatusCode,
      body: envelope(error.code, error.message, error.details),
      headers: error.headers,
      unexpected: false,
    };
  }
  if (error instanceof ConfigError) {
    return {
      status: 503,
      body: envelope('not_configured', error.message, { variable: error.variable }),
      headers: {},
      unexpected: false,
    };
  }
  if (error instanceof WebshareError) return mapWebshareError(error);
  if (error instanceof AuthorizedIpsLimitError || error instanceof AuthorizedIpsIncompleteError) {
    return mapAccessError(error);
  }
  if (error instanceof AuthorizedIpsChangeTooLargeError) {
    return {
      status: 422,
      body: envelope('too_many_authorized_ip_changes', `${error.message}; nothing was changed`, {
        changes: error.changes,
        max: error.max,
      }),
      headers: {},
      unexpected: false,
    };
  }
  if (error instanceof AuthorizedIpsBusyError) {
    return {
      status: 409,
      body: envelope('authorized_ips_change_in_progress', error.message),
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) },
      unexpected: false,
    };
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return {
      status,
      body: envelope(codeForStatus(status), error.message || 'request failed'),
      headers: {},
      unexpected: false,
    };
  }
  return { status: 500, body: envelope('internal_error', 'internal error'), headers: {}, unexpected: true };
}

function mapWebshareError(error: WebshareError): MappedError {
  const retryHeaders: Record<string, string> =
    error.retryAfterSeconds !== undefined ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
  const plain = (
    status: ContentfulStatusCode,
    code: string,
    message: string,
    details?: unknown,
  ): MappedError => ({
    status,
    body: envelope(code, message, details),
    headers: retryHeaders,
    unexpected: false,
  });
  if (error instanceof WebshareBadRequestError) {
    // 422, not 400: our own validation passed, so the request was well-formed and Webshare refused
    // its content (a quota, an unknown proxy, a field rule we do not know). Its words are passed on.
    const fields = Object.entries(error.fieldErrors).map(
      ([field, messages]) => `${field}: ${messages.join(' ')}`,
    );
    const message = [error.detail ?? 'Webshare rejected the request', ...fields].join('; ');
    return plain(422, 'webshare_rejected', message, { fields: error.fieldErrors });
  }
  if (error instanceof WebshareUnauthorizedError) {
    return plain(
      502,
      'webshare_auth_failed',
      'the Webshare API key was rejected by Webshare (401); check WEBSHARE_API_KEY',
    );
  }
  if (error instanceof WebshareForbiddenError) {
    return plain(
      502,
      'webshare_forbidden',
      'Webshare refused the request (403): the plan does not include this API',
    );
  }
  if (error instanceof WebshareNotFoundError) return plain(404, 'not_found', 'not found at Webshare');
  if (error instanceof WebshareRateLimitError || error instanceof WebshareLocalRateLimitError) {
    const headers = { 'Retry-After': String(error.retryAfterSeconds ?? 60) };
    return { ...plain(429, 'webshare_rate_limited', 'Webshare rate limit reached; retry later'), headers };
  }
  if (error instanceof WebshareTimeoutError)
    return plain(504, 'webshare_timeout', 'Webshare did not answer in time');
  if (error instanceof WebshareUnavailableError) {
    return plain(503, 'webshare_unavailable', 'Webshare is temporarily unavailable (503)');
  }
  if (error instanceof SubrequestBudgetExhaustedError) {
    return plain(503, 'budget_exhausted', 'the subrequest budget of this invocation is spent');
  }
  if (error instanceof WebshareNetworkError) {
    return plain(502, 'webshare_unreachable', 'could not connect to Webshare');
  }
  if (error instanceof WebshareResponseError) {
    return plain(502, 'webshare_bad_response', 'Webshare answered with an unexpected response');
  }
  if (error instanceof WebshareSubUserHeaderIgnoredError) {
    // 502, so a signup or Stripe sender retries: the sub-user exists, and a later try hands out its own.
    return plain(502, SUBUSER_HEADER_IGNORED_CODE, error.message);
  }
  return plain(502, 'webshare_error', `Webshare failed${error.status ? ` (${error.status})` : ''}`);
}

/** Authorised-IP changes: over the ceiling (nothing written), or stopped part-way (say what was done). */
function mapAccessError(error: AuthorizedIpsLimitError | AuthorizedIpsIncompleteError): MappedError {
  if (error instanceof AuthorizedIpsLimitError) {
    return {
      status: 422,
      body: envelope('too_many_authorized_ips', `${error.message}; nothing was changed`, {
        requested: error.requested,
      }),
      headers: {},
      unexpected: false,
    };
  }
  const cause = mapError(error.cause);
  const { added, removed } = error.applied;
  const done = `already applied: added [${added.join(', ')}], removed [${removed.join(', ')}]`;
  return {
    ...cause,
    body: envelope('authorized_ips_partially_changed', `${cause.body.error.message}; ${done}`, {
      applied: error.applied,
      cause: cause.body.error,
    }),
  };
}

function codeForStatus(status: number): string {
  const codes: Record<number, string> = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    422: 'unprocessable',
    429: 'rate_limited',
  };
  return codes[status] ?? (status >= 500 ? 'internal_error' : 'error');
}
