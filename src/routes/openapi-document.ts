/**
 * GET /openapi.json: the document rendered at build time (src/generated/openapi.json), public like
 * /docs. Its one server is relative (`/`, the origin it was fetched from); with PUBLIC_URL set, that
 * URL comes first, so a client that saved the document elsewhere, or reaches the worker behind a path
 * prefix, still calls the right base.
 */
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../context';
import OPENAPI_DOCUMENT from '../generated/openapi.json';

interface Server {
  url: string;
  description?: string;
}

/**
 * PUBLIC_URL ahead of the committed servers: its origin and path prefix only, without the trailing
 * slash (operation paths start with one), as dashboardUrlFor reads it.
 */
function serversWith(publicUrl: string, committed: readonly Server[]): Server[] {
  const url = new URL(publicUrl);
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return [{ url: base, description: 'PUBLIC_URL' }, ...committed];
}

export function openApiDocumentRoutes() {
  return new Hono<AppEnv>().get('/openapi.json', (c) => {
    const { publicUrl } = c.get('config');
    if (!publicUrl) return c.json(OPENAPI_DOCUMENT);
    return c.json({ ...OPENAPI_DOCUMENT, servers: serversWith(publicUrl, OPENAPI_DOCUMENT.servers) });
  });
}
