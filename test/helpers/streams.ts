/**
 * Chunked request bodies for the body-limit tests: a ReadableStream body has no Content-Length, so
 * only a reader that counts while streaming can refuse it early. The stream records how many bytes
 * were pulled from it, so a test can tell "stopped at the limit" from "read it all, then measured".
 */
const CHUNK_BYTES = 16 * 1024;

export interface ChunkedBody {
  body: ReadableStream<Uint8Array>;
  /** Bytes handed to the reader so far. */
  pulledBytes(): number;
}

/** `totalBytes` of `fill` repeated (UTF-8), handed out CHUNK_BYTES at a time, only as they are read. */
export function chunkedBody(totalBytes: number, fill = 'x'): ChunkedBody {
  const unit = new TextEncoder().encode(fill);
  if (CHUNK_BYTES % unit.byteLength !== 0 || totalBytes % unit.byteLength !== 0) {
    throw new RangeError('the fill must split the chunks and the total into whole characters');
  }
  const chunk = new Uint8Array(CHUNK_BYTES);
  for (let i = 0; i < CHUNK_BYTES; i += unit.byteLength) chunk.set(unit, i);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const size = Math.min(CHUNK_BYTES, totalBytes - pulled);
        if (size <= 0) {
          controller.close();
          return;
        }
        pulled += size;
        controller.enqueue(chunk.slice(0, size));
      },
    },
    { highWaterMark: 0 },
  );
  return { body, pulledBytes: () => pulled };
}

/** How far past a limit a reader that stops at the limit may have pulled: the chunk that crossed it. */
export const PULL_SLACK_BYTES = 2 * CHUNK_BYTES;
