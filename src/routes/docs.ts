/**
 * GET /docs: a small, self-contained HTML page (public/docs.html) that renders /openapi.json readably
 * — routes grouped by tag, with parameters, request bodies and responses. No CDN, fonts or framework:
 * Swagger UI would add ~1 MB to a bundle of ~1 MB, this page is ~1.4 KiB gzipped, and a static asset
 * read once per isolate, not bundled. It holds no data itself; it fetches the public document, so it
 * needs no token.
 */
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../context';
import { readAsset } from './static-asset';

// Same-origin script and styles only: the page may never load anything from elsewhere.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'";

export function docsRoutes() {
  return new Hono<AppEnv>().get('/docs', async (c) => {
    const page = await readAsset(c.env.ASSETS, '/docs.html', c.req.url, (text) => text);
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('Cache-Control', 'public, max-age=300');
    return c.html(page);
  });
}
