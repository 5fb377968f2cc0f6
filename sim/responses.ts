/** Webshare's (Django REST Framework's) response shapes: JSON bodies, `detail` errors, field errors. */
import type { FieldErrorShape } from './options';

/** Thrown by handlers; the dispatcher turns it into the response. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`simulated ${status}`);
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function detail(status: number, message: string, headers: Record<string, string> = {}): ApiError {
  return new ApiError(status, { detail: message }, headers);
}

export const notFound = () => detail(404, 'Not found.');

/** One field error: a DRF message and its code. */
export interface FieldIssue {
  field: string;
  message: string;
  code: string;
}

/** A 400 with `{"field": ["msg"]}` or `{"field": [{"message", "code"}]}`. */
export function fieldErrors(issues: FieldIssue[], shape: FieldErrorShape): ApiError {
  const body: Record<string, unknown[]> = {};
  for (const issue of issues) {
    const item = shape === 'objects' ? { message: issue.message, code: issue.code } : issue.message;
    (body[issue.field] ??= []).push(item);
  }
  return new ApiError(400, body);
}

/** DRF's default messages for statuses a fault may inject without a body. */
export const STATUS_DETAIL: Record<number, string> = {
  400: 'Bad request.',
  401: 'Invalid token.',
  403: 'You do not have permission to perform this action.',
  404: 'Not found.',
  405: 'Method not allowed.',
  406: 'Could not satisfy the request Accept header.',
  429: 'Request was throttled.',
  500: 'A server error occurred.',
  502: 'Bad gateway.',
  503: 'Service temporarily unavailable, try again later.',
};
