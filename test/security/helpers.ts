/**
 * Shared by the security suites: the real app with a chosen env, the Webshare simulator behind
 * routeOutbound, and the OpenAPI document's operations.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { createApp } from '../../src/app';
import type { Env } from '../../src/env';
import { operationsOf as walkOperations, type OpenApiDocument } from '../admin/openapi-helpers';

export const ORIGIN = 'https://worker.test';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const READ_TOKEN = 'test-read-token-abcdef012345';
export const WEBSHARE_API_KEY = 'test-api-key-9f8e7d6c';
export const baseEnv = env as unknown as Env;

export interface OpenApiOperation {
  method: string;
  path: string;
  security?: Record<string, string[]>[];
  requestBody?: { content?: Record<string, unknown> };
}

/** Every operation of the document, flattened with its method and path (one walk: openapi-helpers). */
export function operationsOf(doc: OpenApiDocument): OpenApiOperation[] {
  return walkOperations(doc).map(({ method, path, operation }) => ({ ...operation, method, path }));
}

/** A concrete URL path for a templated one: every {param} becomes 1. */
export const concretePath = (path: string) => path.replace(/\{[^}]+\}/g, '1');

/** One fresh app per call, so env overrides (ADMIN_READ_TOKEN, secrets) are parsed again. */
export async function callApp(
  path: string,
  init: RequestInit = {},
  overrides: Partial<Env> = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await createApp().request(`${ORIGIN}${path}`, init, { ...baseEnv, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export async function openApiDocument(): Promise<OpenApiDocument> {
  const response = await callApp('/openapi.json');
  if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
  return (await response.json()) as OpenApiDocument;
}
