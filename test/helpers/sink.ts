/**
 * A recording HTTP sink standing in for Slack, Discord and webhook receivers: it keeps every request
 * it gets and answers from a script of responses (e.g. fail three times, then succeed).
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type ScriptedResponse =
  number | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number };

export class RecordingSink {
  readonly requests: RecordedRequest[] = [];
  #script: ScriptedResponse[] = [];

  constructor(private readonly fallback: ScriptedResponse = 200) {}

  /** Responses for the next requests, in order; after them the fallback answers. */
  respondWith(...responses: ScriptedResponse[]): this {
    this.#script.push(...responses);
    return this;
  }

  readonly fetch = async (request: Request): Promise<Response> => {
    this.requests.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    });
    const next = this.#script.shift() ?? this.fallback;
    const spec = typeof next === 'number' ? { status: next } : next;
    if (spec.delayMs) await new Promise((resolve) => setTimeout(resolve, spec.delayMs));
    return new Response(spec.status === 204 ? null : (spec.body ?? (spec.status < 300 ? 'ok' : 'error')), {
      status: spec.status,
      headers: spec.headers,
    });
  };

  json<T = unknown>(index: number): T {
    const request = this.requests[index];
    if (!request) throw new Error(`the sink has no request #${index} (it has ${this.requests.length})`);
    return JSON.parse(request.body) as T;
  }
}
