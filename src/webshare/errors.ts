/**
 * One error type per Webshare status the documentation lists, plus the failures that never reach
 * Webshare (timeout, network, local rate limit, exhausted subrequest budget) or come back unreadable.
 * Messages name the method and path, never the API key.
 */

export interface WebshareErrorInit {
  method: string;
  path: string;
  status?: number;
  detail?: string;
  fieldErrors?: Record<string, string[]>;
  /** Webshare's machine-readable codes: the top-level `code` first, then those of field errors. */
  codes?: string[];
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class WebshareError extends Error {
  override name = 'WebshareError';
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly detail: string | undefined;
  readonly fieldErrors: Record<string, string[]>;
  /** Machine-readable codes (v2: `active_replacement`, `account_suspended`…); empty when none came. */
  readonly codes: string[];
  /** Seconds to wait before trying again, when Webshare (or the local limiter) said so. */
  readonly retryAfterSeconds: number | undefined;

  constructor(summary: string, init: WebshareErrorInit) {
    const fields = Object.entries(init.fieldErrors ?? {})
      .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
      .join('; ');
    const extra = [init.detail, fields].filter(Boolean).join(' — ');
    super(`Webshare ${init.method} ${init.path}: ${summary}${extra ? ` (${extra})` : ''}`, {
      cause: init.cause,
    });
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.detail = init.detail;
    this.fieldErrors = init.fieldErrors ?? {};
    this.codes = init.codes ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

export class WebshareBadRequestError extends WebshareError {
  override name = 'WebshareBadRequestError';
}
export class WebshareUnauthorizedError extends WebshareError {
  override name = 'WebshareUnauthorizedError';
}
export class WebshareForbiddenError extends WebshareError {
  override name = 'WebshareForbiddenError';
}
export class WebshareNotFoundError extends WebshareError {
  override name = 'WebshareNotFoundError';
}
export class WebshareMethodNotAllowedError extends WebshareError {
  override name = 'WebshareMethodNotAllowedError';
}
export class WebshareNotAcceptableError extends WebshareError {
  override name = 'WebshareNotAcceptableError';
}
export class WebshareRateLimitError extends WebshareError {
  override name = 'WebshareRateLimitError';
}
export class WebshareServerError extends WebshareError {
  override name = 'WebshareServerError';
}
export class WebshareUnavailableError extends WebshareError {
  override name = 'WebshareUnavailableError';
}
/** No answer within the per-request timeout. */
export class WebshareTimeoutError extends WebshareError {
  override name = 'WebshareTimeoutError';
}
/** The connection failed (reset, refused, DNS). */
export class WebshareNetworkError extends WebshareError {
  override name = 'WebshareNetworkError';
}
/** Webshare answered 2xx with a body that is not the documented JSON. */
export class WebshareResponseError extends WebshareError {
  override name = 'WebshareResponseError';
}
/** Sending would exceed Webshare's documented rate limit; nothing was sent. */
export class WebshareLocalRateLimitError extends WebshareError {
  override name = 'WebshareLocalRateLimitError';
}
/** The invocation's subrequest budget is spent; nothing was sent. */
export class SubrequestBudgetExhaustedError extends WebshareError {
  override name = 'SubrequestBudgetExhaustedError';
}

/**
 * A credential read sent as a sub-user (v2's X-Subuser) came back with the account owner's own proxy
 * username or password: Webshare ignored the header. Nothing read that way may be handed out.
 */
export class WebshareSubUserHeaderIgnoredError extends WebshareError {
  override name = 'WebshareSubUserHeaderIgnoredError';
  readonly subUserId: number;

  constructor(init: WebshareErrorInit & { subUserId: number; header: string }) {
    super(
      `Webshare ignored ${init.header}: the credentials read as sub-user ${init.subUserId} are the account's own, so none were handed out`,
      init,
    );
    this.subUserId = init.subUserId;
  }
}

type ErrorClass = new (summary: string, init: WebshareErrorInit) => WebshareError;

const BY_STATUS: Record<number, [ErrorClass, string]> = {
  400: [WebshareBadRequestError, 'bad request'],
  401: [WebshareUnauthorizedError, 'the API key was rejected (401)'],
  403: [WebshareForbiddenError, 'forbidden; the plan does not include this API (403)'],
  404: [WebshareNotFoundError, 'not found (404)'],
  405: [WebshareMethodNotAllowedError, 'method not allowed (405)'],
  406: [WebshareNotAcceptableError, 'not acceptable (406)'],
  429: [WebshareRateLimitError, 'rate limited (429)'],
  503: [WebshareUnavailableError, 'temporarily unavailable (503)'],
};

/** Builds the error for a non-2xx status. */
export function errorForStatus(init: WebshareErrorInit & { status: number }): WebshareError {
  const known = BY_STATUS[init.status];
  if (known) return new known[0](known[1], init);
  if (init.status >= 500) return new WebshareServerError(`server error (${init.status})`, init);
  return new WebshareError(`unexpected status ${init.status}`, init);
}

/** True when Webshare named `code` for this error (top-level or in a field error). */
export function hasCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof WebshareError && error.codes.some((code) => codes.includes(code));
}

/** Errors worth retrying for a read: rate limits, server errors, timeouts and dropped connections. */
export function isRetryableRead(error: WebshareError): boolean {
  return (
    error instanceof WebshareRateLimitError ||
    error instanceof WebshareServerError ||
    error instanceof WebshareUnavailableError ||
    error instanceof WebshareTimeoutError ||
    error instanceof WebshareNetworkError ||
    (error.status !== undefined && error.status >= 500)
  );
}
