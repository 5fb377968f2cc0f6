/**
 * `.openapi(…)` on zod schemas, as the worker sees it: a no-op that returns the schema unchanged.
 *
 * Route schemas carry OpenAPI metadata (names, examples, descriptions) for /openapi.json, but the
 * document is rendered at build time (scripts/build-openapi.ts) by the real @hono/zod-openapi, which
 * installs the real method before any schema module loads. The worker never reads the metadata, so it
 * neither needs that package (~40 KiB gzip with the zod namespace it pins) nor the cloned schemas.
 * Import this module for its side effect before building a schema that calls `.openapi(…)`.
 */
import type {} from '@hono/zod-openapi'; // Types only: declares ZodType.openapi() for TypeScript.
import * as z from 'zod';

const prototype = z.ZodType.prototype as { openapi?: unknown };
if (prototype.openapi === undefined) {
  prototype.openapi = function openapiMetadataIsBuildTimeOnly(this: unknown) {
    return this;
  };
}
