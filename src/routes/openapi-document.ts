/**
 * GET /openapi.json: the document rendered at build time (public/openapi.json), public like /docs. It
 * is a static asset, read through the ASSETS binding, not bundled: 9 KiB gzip less to upload and to
 * parse on every isolate's start. Its one server is relative (`/`, the origin it was fetched from);
 * with PUBLIC_URL set, that URL comes first, so a client that saved the document elsewhere, or
 * reaches the worker behind a path prefix, still calls the right base.
 */
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../context';

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
  return new Hono<AppEnv>().get('/openapi.json', async (c) => {
    // A request of its own: the caller's conditional headers would get a 304 for a document that
    // PUBLIC_URL changes below.
    const stored = await c.env.ASSETS.fetch(new URL('/openapi.json', c.req.url));
    if (!stored.ok) throw new Error(`the OpenAPI document asset answered ${stored.status}`);
    const { publicUrl } = c.get('config');
    // As stored, unparsed (66 KB of JSON is read only to add a server), with the app's headers.
    if (!publicUrl) return c.body(stored.body ?? '', 200, { 'Content-Type': 'application/json' });
    const document = await stored.json<{ servers: Server[] }>();
    return c.json({ ...document, servers: serversWith(publicUrl, document.servers) });
  });
}
