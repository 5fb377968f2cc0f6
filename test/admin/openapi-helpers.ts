/** The served /openapi.json, typed as far as the OpenAPI tests read it, and its operations. */
import { SELF } from 'cloudflare:test';
import { expect } from 'vitest';
import type { JsonSchema } from '../helpers/json-schema-subset';
import { ORIGIN } from './helpers';

export interface MediaType {
  schema?: JsonSchema;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
interface Parameter extends MediaType {
  name: string;
  in: string;
}
export interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, { content?: Record<string, MediaType>; headers?: Record<string, MediaType> }>;
}
export interface OpenApiDocument {
  openapi: string;
  servers?: { url: string; description?: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The document as the real worker serves it. */
export async function servedDocument(): Promise<OpenApiDocument> {
  const response = await SELF.fetch(`${ORIGIN}/openapi.json`);
  expect(response.status).toBe(200);
  return (await response.json()) as OpenApiDocument;
}

/** Every operation, with its "METHOD /path" key (method upper-case, path in OpenAPI form). */
export function operationsOf(
  doc: OpenApiDocument,
): { method: string; path: string; key: string; operation: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => ({
      method: method.toUpperCase(),
      path,
      key: `${method.toUpperCase()} ${path}`,
      operation: item[method] as Operation,
    })),
  );
}
