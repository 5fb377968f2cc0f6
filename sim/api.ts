/**
 * The simulated API's request pipeline, in Django REST Framework's order: URL resolution (404),
 * then content negotiation (406), authentication (401), throttling (429), method (405), the
 * X-Webshare-SubUser check, and the endpoint. Injected faults act before all of it; every request
 * is logged.
 */
import { faultResponse, reshape, type FaultTable } from './faults';
import type { SimRateLimiter } from './rate-limit';
import { SIM_RATE_LIMITS_PER_MINUTE, SIM_RATE_LIMITS_V2_PER_MINUTE, type SimBucket } from './rate-limit';
import { ApiError, detail, json, notFound } from './responses';
import { matchRoute } from './routes/index';
import type { ApiContext, ApiMethod, ApiRoute, SimDialect } from './routes/types';
import { clockMs, type SimState, type SimSubUser } from './state';

export interface SimRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Simulator clock, ms. */
  time: number;
  /** 0 when the simulator dropped the connection (networkError fault). */
  status: number;
  subUser?: number;
  bucket: SimBucket;
}

export interface ApiRuntime {
  state: SimState;
  faults: FaultTable;
  limiter: SimRateLimiter;
  requests: SimRequestRecord[];
}

export const SUBUSER_HEADER = 'X-Webshare-SubUser';
/** v2's masquerade header. */
export const V2_SUBUSER_HEADER = 'X-Subuser';

/** The paths of v2 (and its v3 additions), refused outright under the `v2-forbidden` quirk. */
const V2_PATH = /^\/api\/v[23]\//;

const DIALECTS: Record<string, SimDialect[]> = { both: ['v1', 'v2'], v1: ['v1'], v2: ['v2'] };

function subUserHeaderOf(route: ApiRoute | undefined): string {
  return route?.dialect === 'v2' ? V2_SUBUSER_HEADER : SUBUSER_HEADER;
}

export async function handleApi(runtime: ApiRuntime, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  const matched = matchRoute(url.pathname, DIALECTS[runtime.state.options.apiVersion]);
  const subUserHeader = request.headers.get(subUserHeaderOf(matched?.route));
  const record: SimRequestRecord = {
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    time: clockMs(runtime.state),
    status: 0,
    bucket: matched?.route.bucket ?? 'general',
  };
  if (subUserHeader !== null && /^\d+$/.test(subUserHeader)) record.subUser = Number(subUserHeader);
  runtime.requests.push(record);
  const overflow = runtime.requests.length - runtime.state.options.requestLogLimit;
  if (overflow > 0) runtime.requests.splice(0, overflow);

  const fault = runtime.faults.take(method, url.pathname);
  if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  const injected = fault ? faultResponse(fault) : undefined;
  if (injected) {
    record.status = injected.status;
    return injected;
  }

  let response: Response;
  try {
    response = await answer(runtime, request, url, method, matched, record);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    response = json(error.body, error.status, error.headers);
  }
  if (fault) response = await reshape(fault, response);
  record.status = response.status;
  return response;
}

async function answer(
  runtime: ApiRuntime,
  request: Request,
  url: URL,
  method: string,
  matched: ReturnType<typeof matchRoute>,
  record: SimRequestRecord,
): Promise<Response> {
  const { state } = runtime;
  if (state.options.quirks.includes('v2-forbidden') && V2_PATH.test(url.pathname)) {
    throw detail(403, 'You do not have permission to perform this action.');
  }
  if (!matched) throw notFound();
  if (!acceptsJson(request.headers.get('Accept'))) {
    throw detail(406, 'Could not satisfy the request Accept header.');
  }
  const authorization = request.headers.get('Authorization') ?? '';
  const [scheme, key, ...extra] = authorization.trim().split(/\s+/);
  if (state.apiKey === null || scheme !== 'Token' || extra.length > 0 || key !== state.apiKey) {
    throw detail(401, 'Invalid token.', { 'WWW-Authenticate': 'Token' });
  }
  const nowMs = clockMs(state);
  const { route, params } = matched;
  if (state.options.enforceRateLimits) {
    const limits = route.dialect === 'v2' ? SIM_RATE_LIMITS_V2_PER_MINUTE : SIM_RATE_LIMITS_PER_MINUTE;
    const waitSeconds = runtime.limiter.take(record.bucket, nowMs, limits);
    if (waitSeconds > 0) {
      throw detail(429, `Request was throttled. Expected available in ${waitSeconds} seconds.`, {
        'Retry-After': String(waitSeconds),
      });
    }
  }
  const handler = route.methods[method as ApiMethod];
  if (!handler) {
    const allow = [...Object.keys(route.methods), 'OPTIONS'].join(', ');
    throw detail(405, `Method "${method}" not allowed.`, { Allow: allow });
  }
  let subUser: SimSubUser | undefined;
  const headerName = subUserHeaderOf(route);
  const ignored = route.dialect === 'v2' && state.options.quirks.includes('ignore-x-subuser');
  const header = ignored ? null : request.headers.get(headerName);
  if (header !== null) {
    if (!route.masquerade || method !== 'GET') {
      throw detail(
        400,
        `The ${headerName} header is accepted only by the proxy config, proxy list and proxy stats APIs.`,
      );
    }
    subUser = /^\d+$/.test(header.trim()) ? state.subUsers.get(Number(header.trim())) : undefined;
    if (!subUser) throw notFound();
  }
  const context: ApiContext = { state, nowMs, url, params, subUser, body: bodyReader(request) };
  const result = await handler(context);
  return result instanceof Response ? result : json(result);
}

/** DRF negotiation: JSON is acceptable unless the Accept header lists only other types. */
export function acceptsJson(accept: string | null): boolean {
  if (accept === null || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const [type = '', ...parameters] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = parameters.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return type === '*/*' || type === 'application/*' || type === 'application/json';
  });
}

function bodyReader(request: Request): () => Promise<Record<string, unknown>> {
  let parsed: Record<string, unknown> | undefined;
  return async () => {
    if (parsed) return parsed;
    const text = await request.text();
    if (text.trim() === '') return (parsed = {});
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw detail(400, 'JSON parse error - Expecting value: line 1 column 1 (char 0)');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const type = Array.isArray(value) ? 'list' : value === null ? 'NoneType' : typeof value;
      throw new ApiError(400, {
        non_field_errors: [`Invalid data. Expected a dictionary, but got ${type}.`],
      });
    }
    return (parsed = value as Record<string, unknown>);
  };
}
