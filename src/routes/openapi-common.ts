/** Schemas and helpers every documented route shares: the error envelope and the bearer security. */
import * as z from 'zod';
import '../lib/zod-openapi-metadata';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_request' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

/** The error responses every `/v1` route can give, for its OpenAPI entry. */
export const adminErrorResponses = {
  401: errorResponse('Missing or wrong bearer token'),
  403: errorResponse('The read-only token may only call GET routes'),
  503: errorResponse('Not configured (names the missing variable) or Webshare unavailable'),
} as const;

export const adminSecurity = [{ adminToken: [] }];

/**
 * Declared by every route that takes no bearer token (health, signed hooks, chat-ops): the document's
 * default is the bearer (app.ts), so without `security: []` a generated client would send the admin
 * token to a webhook receiver. scripts/build-openapi.ts refuses a route that declares neither.
 */
export const PUBLIC_SECURITY: [] = [];

/**
 * A signed request's body in the document: an object, described in words. The route reads the raw
 * bytes itself (the signature covers them), so this schema only tells clients the shape; a bare
 * `string` would tell a validating client that the body is one JSON string and refuse every event.
 */
export const signedBodySchema = (description: string) => z.looseObject({}).openapi({ description });

export { errorResponse };
