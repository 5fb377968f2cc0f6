/**
 * Bounded request-body reads. The Worker buffers a body whole, and without Content-Length (chunked)
 * only the read itself can tell the size: so bytes are counted while streaming and the read stops
 * at the limit, instead of buffering all of it and measuring afterwards.
 */
import { ApiError } from './api-error';

/**
 * Reads a stream whole, or returns null as soon as it passes `maxBytes` (cancelling the rest
 * unread). Counts bytes, not characters: the limit is what the Worker holds in memory.
 */
export async function readAtMost(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The request's bytes, or null when they pass `maxBytes` (declared in Content-Length, or streamed). */
export async function readBodyAtMost(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  const declared = request.headers.get('Content-Length');
  if (declared !== null && Number(declared) > maxBytes) return null;
  if (request.body === null) return new Uint8Array(0);
  return readAtMost(request.body, maxBytes);
}

/**
 * The body as UTF-8 text, decoded as `Request.text()` does, or null when it passes `maxBytes`.
 * Signed routes verify over this text, so it is read once and handed on.
 */
export async function readTextAtMost(request: Request, maxBytes: number): Promise<string | null> {
  const bytes = await readBodyAtMost(request, maxBytes);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}

/**
 * The raw body of a signed request, read once (signatures are computed over these exact bytes), or
 * a 413 naming the limit when it is larger: nothing that large comes from the signing platform.
 */
export async function readSignedBody(request: Request, maxBytes: number): Promise<string> {
  const body = await readTextAtMost(request, maxBytes);
  if (body === null) {
    throw new ApiError(413, 'payload_too_large', `the request body is larger than ${maxBytes} bytes`, {
      details: { max_bytes: maxBytes },
    });
  }
  return body;
}

/** JSON.parse after verification; a 400 rather than a crash for a signed but broken body. */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new ApiError(400, 'invalid_json', 'the body is not JSON');
  }
}
