/**
 * GET /docs: a small, self-contained HTML page that renders /openapi.json readably — routes grouped
 * by tag, with parameters, request bodies and responses. No CDN, fonts or framework: Swagger UI
 * would add ~1 MB to a bundle of ~1 MB, this adds ~2 KiB gzipped (measured, see README). It holds
 * no data itself; it fetches the public document, so it needs no token.
 */
import { Hono } from 'hono/tiny';
import type { AppEnv } from '../context';

// Same-origin script and styles only: the page may never load anything from elsewhere.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>webshare-ops API</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{margin-bottom:0}h2{margin-top:2rem;border-bottom:1px solid #d0d7de}
details{border:1px solid #d0d7de;border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer}code,pre{font:13px ui-monospace,monospace}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;border-radius:4px}
.m{display:inline-block;min-width:4.2rem;font-weight:700;text-transform:uppercase}
.get{color:#0969da}.post{color:#1a7f37}.patch{color:#9a6700}.delete{color:#cf222e}.put{color:#8250df}
.lock{color:#57606a;font-size:12px}
</style>
</head>
<body>
<h1>webshare-ops API</h1>
<p id="intro">Loading <a href="/openapi.json">/openapi.json</a>…</p>
<div id="api"></div>
<script>
(async () => {
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; };
  const pre = (value) => el('pre', JSON.stringify(value, null, 2));
  const doc = await (await fetch('/openapi.json')).json();
  const schemas = (doc.components && doc.components.schemas) || {};
  const resolve = (s) => s && s.$ref ? { ...schemas[s.$ref.split('/').pop()], title: s.$ref.split('/').pop() } : s;
  document.getElementById('intro').textContent = (doc.info.description || '') + ' Version ' + doc.info.version + '.';
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || 'Other';
      (byTag[tag] = byTag[tag] || []).push([method, path, op]);
    }
  }
  const root = document.getElementById('api');
  for (const [tag, ops] of Object.entries(byTag)) {
    root.append(el('h2', tag));
    for (const [method, path, op] of ops) {
      const d = el('details'); const s = el('summary');
      s.append(el('span', method, 'm ' + method), el('code', path), ' ', op.summary || '');
      if (op.security && op.security.length) s.append(' ', el('span', '🔒 bearer', 'lock'));
      d.append(s);
      if (op.description) d.append(el('p', op.description));
      if (op.parameters && op.parameters.length) { d.append(el('h4', 'Parameters')); d.append(pre(op.parameters.map((p) => ({ name: p.name, in: p.in, required: !!p.required, schema: p.schema, description: p.description })))); }
      const body = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
      if (body) { d.append(el('h4', 'Request body (application/json)')); d.append(pre(resolve(body.schema))); }
      d.append(el('h4', 'Responses'));
      for (const [status, r] of Object.entries(op.responses || {})) {
        d.append(el('p', status + ' — ' + (r.description || '')));
        const c = r.content && r.content['application/json'];
        if (c && status < 300) d.append(pre(resolve(c.schema)));
      }
      root.append(d);
    }
  }
})().catch((e) => { document.getElementById('intro').textContent = 'Could not load /openapi.json: ' + e; });
</script>
</body>
</html>`;

export function docsRoutes() {
  return new Hono<AppEnv>().get('/docs', (c) => {
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('Cache-Control', 'public, max-age=300');
    return c.html(PAGE);
  });
}
