/**
 * Injected faults: an answer Webshare might give on a bad day (a status, a slow answer, a broken or
 * reshaped body, a reset connection), matched by path and method, for a number of times or forever.
 */
import { STATUS_DETAIL } from './responses';

/** The message workerd's fetch gives for a reset connection. */
export const NETWORK_ERROR_MESSAGE = 'Network connection lost.';

export interface Fault {
  /** Exact API path ('/api/proxy/stats/') or a prefix ending with '*' ('/api/subuser/*'). */
  path: string;
  method?: string;
  status?: number;
  /** Retry-After header value; null omits it. A 429 without this says '60', as the docs advise. */
  retryAfter?: string | null;
  delayMs?: number;
  /** Replaces the response body. */
  body?: string;
  /** Answers 200 with the real body cut short, so it is not JSON. */
  malformedJson?: boolean;
  /** Fields removed from the body (top level, or each item of `results` / of an array body). */
  dropFields?: string[];
  addFields?: Record<string, unknown>;
  nullFields?: string[];
  /** Throws a TypeError, as fetch does when the connection is reset. */
  networkError?: boolean;
  /** How many matching requests the fault applies to; forever when absent. */
  times?: number;
}

export class FaultTable {
  #faults: { fault: Fault; left: number }[] = [];

  add(fault: Fault): void {
    if (typeof fault.path !== 'string' || !fault.path.startsWith('/')) {
      throw new TypeError('a fault needs a path starting with /');
    }
    this.#faults.push({ fault: { ...fault }, left: fault.times ?? Infinity });
  }

  clear(): void {
    this.#faults = [];
  }

  list(): Fault[] {
    return this.#faults.map(({ fault, left }) => ({
      ...fault,
      ...(left === Infinity ? {} : { times: left }),
    }));
  }

  /** The first fault matching the request, counted as used. */
  take(method: string, path: string): Fault | undefined {
    const index = this.#faults.findIndex(({ fault }) => matches(fault, method, path));
    const entry = this.#faults[index];
    if (!entry) return undefined;
    entry.left--;
    if (entry.left <= 0) this.#faults.splice(index, 1);
    return entry.fault;
  }
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  return fault.path.endsWith('*') ? path.startsWith(fault.path.slice(0, -1)) : path === fault.path;
}

/** A fault that answers by itself (status or network error), before the simulated API runs. */
export function faultResponse(fault: Fault): Response | undefined {
  if (fault.networkError) throw new TypeError(NETWORK_ERROR_MESSAGE);
  if (fault.status === undefined) return undefined;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const retryAfter = fault.retryAfter === undefined && fault.status === 429 ? '60' : fault.retryAfter;
  if (retryAfter !== undefined && retryAfter !== null) headers['Retry-After'] = retryAfter;
  const body =
    fault.body ?? JSON.stringify({ detail: STATUS_DETAIL[fault.status] ?? `Simulated ${fault.status}.` });
  return new Response(fault.status === 204 ? null : body, { status: fault.status, headers });
}

/** Applies the body-shaping parts of a fault to a real response. */
export async function reshape(fault: Fault, response: Response): Promise<Response> {
  const reshapes = fault.dropFields || fault.addFields || fault.nullFields;
  if (fault.body === undefined && !fault.malformedJson && !reshapes) return response;
  const headers = new Headers(response.headers);
  if (fault.body !== undefined) return new Response(fault.body, { status: response.status, headers });
  const text = await response.text();
  if (fault.malformedJson) {
    return new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), {
      status: response.status,
      headers,
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, { status: response.status, headers });
  }
  return new Response(JSON.stringify(reshapeBody(body, fault)), { status: response.status, headers });
}

function reshapeBody(body: unknown, fault: Fault): unknown {
  if (Array.isArray(body)) return body.map((item) => reshapeBody(item, fault));
  if (typeof body !== 'object' || body === null) return body;
  const record = { ...(body as Record<string, unknown>) };
  const nested = Array.isArray(record.results);
  const perItem: Fault = { path: fault.path };
  for (const field of fault.dropFields ?? []) {
    if (field in record) delete record[field];
    else if (nested) (perItem.dropFields ??= []).push(field);
  }
  for (const field of fault.nullFields ?? []) {
    if (field in record) record[field] = null;
    else if (nested) (perItem.nullFields ??= []).push(field);
  }
  Object.assign(record, fault.addFields ?? {});
  if (nested && (perItem.dropFields || perItem.nullFields)) {
    record.results = (record.results as unknown[]).map((item) => reshapeBody(item, perItem));
  }
  return record;
}
