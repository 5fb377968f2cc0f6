/**
 * Record and replay of the Webshare responses a run of ticks fetched, for the tick benches (in Node,
 * bench/tick-runner.ts; in workerd, bench/workerd/tick-bench.ts). A priming run records every
 * response of the simulator; the measured run replays them from memory, so a tick's time excludes the
 * simulator's.
 */
export interface RecordedResponse {
  status: number;
  /**
   * Bytes, as a response arrives, and off V8's heap: a 100,000-proxy v1 sweep records ~26 MB of pages,
   * which as strings would make every garbage collection during the ticks walk them.
   */
  body: Uint8Array;
  contentType: string;
}

const encoder = new TextEncoder();

/**
 * The URL without its time bounds: v2's stats ask up to the tick's clock, which moves on with real
 * time (milliseconds apart between the recording and the replay).
 */
function withoutTime(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete('timestamp__lte');
  return parsed.href;
}

function respond(entry: RecordedResponse): Response {
  return new Response(entry.body, { status: entry.status, headers: { 'Content-Type': entry.contentType } });
}

export class ResponseReplay {
  private readonly recorded = new Map<string, RecordedResponse>();
  /** Requests the replay had no recorded response for. */
  misses = 0;

  /** A fetch that answers from `upstream` and records each answer. */
  recorder(upstream: (request: Request) => Promise<Response>): typeof fetch {
    return (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const response = await upstream(request);
      const entry = {
        status: response.status,
        body: encoder.encode(await response.text()),
        contentType: response.headers.get('Content-Type') ?? 'application/json',
      };
      this.recorded.set(`${request.method} ${request.url}`, entry);
      this.recorded.set(`${request.method} ${withoutTime(request.url)}`, entry);
      return respond(entry);
    }) as typeof fetch;
  }

  /**
   * Moves every recorded body into one buffer (each entry keeps a view of its bytes): thousands of
   * separate buffers, one per page, are as many objects for a full garbage collection of the isolate
   * to process, on whichever measured tick it falls; one buffer is one.
   */
  seal(): void {
    const entries = [...new Set(this.recorded.values())];
    const all = new Uint8Array(entries.reduce((sum, entry) => sum + entry.body.byteLength, 0));
    let offset = 0;
    for (const entry of entries) {
      all.set(entry.body, offset);
      entry.body = all.subarray(offset, offset + entry.body.byteLength);
      offset += entry.body.byteLength;
    }
  }

  /** A fetch that answers from the recording, and hands each body it serves to `served`. */
  replayer(served: (body: Uint8Array) => void): typeof fetch {
    return (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const method = init?.method ?? 'GET';
      const entry =
        this.recorded.get(`${method} ${url}`) ?? this.recorded.get(`${method} ${withoutTime(url)}`);
      if (!entry) {
        this.misses++;
        throw new Error(`bench replay has no response for ${url}`);
      }
      served(entry.body);
      return respond(entry);
    }) as typeof fetch;
  }
}
