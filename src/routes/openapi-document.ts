/**
 * GET /openapi.json: the document rendered at build time (public/openapi.json), public like /docs. It
 * is a static asset, read through the ASSETS binding once per isolate (./static-asset.ts), not
 * bundled: 9 KiB gzip less to upload and to parse on every isolate's start. Its one server is
 * relative (`/`, the origin it was fetched from); with PUBLIC_URL set, that URL comes first, so a
 * client that saved the document elsewhere, or reaches the worker behind a path prefix, still calls
 * the right base.
 */
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../context';
import { readAsset } from './static-asset';

interface Server {
  url: string;
  description?: string;
}

interface OpenApiDocument {
  servers: Server[];
}

/** The document parsed, and as compact JSON (the committed file is indented, twice the bytes). */
interface Stored {
  document: OpenApiDocument;
  compact: string;
}

function documentFrom(text: string): Stored {
  const document = JSON.parse(text) as OpenApiDocument;
  return { document, compact: JSON.stringify(document) };
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
    const { document, compact } = await readAsset(c.env.ASSETS, '/openapi.json', c.req.url, documentFrom);
    const { publicUrl } = c.get('config');
    if (!publicUrl) return c.body(compact, 200, { 'Content-Type': 'application/json' });
    return c.json({ ...document, servers: serversWith(publicUrl, document.servers) });
  });
}
