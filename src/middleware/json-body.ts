/**
 * Request bodies of the admin API: JSON only (415), at most `maxBytes` (413), and malformed JSON is a
 * 400 — never a 500 from a handler that assumed it could parse. Body-less writes (POST …/refresh)
 * pass. The parsed body is left in Hono's body cache, so the zod validator reads it without a
 * second parse.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { ApiError } from '../lib/api-error';
import { readAtMost } from '../lib/read-body';

/** Generous for any admin body (a sub-user is ~200 bytes) yet bounded: the Worker buffers it whole. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);
// application/json and any +json suffix (RFC 6839), parameters such as charset ignored.
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

export interface JsonBodyOptions {
  maxBytes?: number;
}

export function jsonBody(options: JsonBodyOptions = {}): MiddlewareHandler<AppEnv> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes <= 0)
    throw new RangeError('maxBytes must be a whole number > 0');
  const tooLarge = () =>
    new ApiError(413, 'payload_too_large', `the request body is larger than ${maxBytes} bytes`, {
      details: { max_bytes: maxBytes },
    });

  return async function jsonBody(c, next) {
    if (!WRITE_METHODS.has(c.req.method) || c.req.raw.body === null) return next();

    const declared = c.req.header('Content-Length');
    if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge();
    const bytes = await readAtMost(c.req.raw.body, maxBytes);
    if (bytes === null) throw tooLarge();
    if (bytes.byteLength === 0) return next();

    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? '';
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        'request bodies must be JSON (Content-Type: application/json)',
        {
          details: { content_type: mediaType || null },
        },
      );
    }

    // The stream is consumed; hand Hono a fresh request over the same bytes, then parse once.
    c.req.raw = new Request(c.req.raw, { body: bytes });
    try {
      await c.req.json();
    } catch (error) {
      throw new ApiError(
        400,
        'malformed_json',
        `the request body is not valid JSON: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    return next();
  };
}
