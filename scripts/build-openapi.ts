/**
 * Renders public/openapi.json: the app's OpenAPI 3.1 document, by the real @hono/zod-openapi, from
 * the route definitions the app records at run time (src/lib/openapi-app.ts) and the schemas'
 * `.openapi()` metadata, each operation named by scripts/openapi-operation-ids.ts. It is a static
 * asset (wrangler.toml [assets]), not bundled: the worker reads it through ASSETS and serves it as it
 * is (only `servers` gains PUBLIC_URL when set); nothing builds a document per isolate.
 *
 *   npm run openapi          write the file (also run by `npm run build` and before every vitest run)
 *   npm run openapi:check    exit 1 if the committed file differs from what the routes produce (CI)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { withOperationIds } from './openapi-operation-ids';

export const DOCUMENT_PATH = fileURLToPath(new URL('../public/openapi.json', import.meta.url));

/**
 * The document's header, to which the recorded routes and components are added. Here, not in src/:
 * only the build reads it, and the worker's bundle need not carry it.
 */
const OPENAPI_OBJECT = {
  openapi: '3.1.0',
  info: {
    title: 'webshare-ops',
    version: '0.1.0',
    description: 'Admin API of webshare-ops: runs a Webshare proxy account from a Cloudflare Worker.',
  },
  // Relative: the worker that served the document. /openapi.json puts PUBLIC_URL first when it is set.
  servers: [{ url: '/', description: 'This worker (the origin the document was fetched from)' }],
  // The default for an operation; every route also declares its own (`[]` where no token is taken).
  security: [{ adminToken: [] }],
  // Every tag a route uses, described (SDK generators group methods by tag; linters want them declared).
  tags: [
    { name: 'health', description: 'Liveness for uptime checkers, metrics for Prometheus.' },
    { name: 'poller', description: 'The cron poller: status, snapshot history, a tick on demand.' },
    {
      name: 'Account',
      description: 'The Webshare account: subscription, proxy configuration, authorised IPs, password.',
    },
    { name: 'Proxies', description: 'The proxy list and proxy replacements.' },
    { name: 'Sub-users', description: 'Webshare sub-users, their usage and their proxies.' },
    { name: 'Alerts', description: 'Alert silences and test messages to the channels.' },
    { name: 'hooks', description: 'Signed webhooks from a SaaS back end and from Stripe (no bearer token).' },
    {
      name: 'chat-ops',
      description: 'Slack and Discord commands, signed by the platform (no bearer token).',
    },
  ],
};

/** The document as the routes describe it today, formatted as it is committed. */
export async function renderOpenApiDocument(): Promise<string> {
  // First: the real package gives zod its real `.openapi()` before any schema module is evaluated
  // (the worker's no-op stands aside when it finds one installed).
  const { OpenAPIHono: DocumentingHono } = await import('@hono/zod-openapi');
  const { createApp } = await import('../src/app');

  const documenting = new DocumentingHono();
  const definitions = createApp().openAPIRegistry.definitions;
  const named = withOperationIds(definitions.flatMap((d) => (d.type === 'route' ? [d.route] : [])));
  for (const definition of definitions) {
    if (definition.type === 'route') documenting.openAPIRegistry.registerPath(named.shift()!);
    else if (definition.type === 'component') {
      const { componentType, name, component } = definition;
      documenting.openAPIRegistry.registerComponent(componentType, name, component as never);
    } else throw new Error(`build-openapi: unexpected definition ${definition.type}`);
  }
  return `${JSON.stringify(documenting.getOpenAPI31Document(OPENAPI_OBJECT), null, 2)}\n`;
}

async function main(): Promise<void> {
  const text = await renderOpenApiDocument();
  const current = await readFile(DOCUMENT_PATH, 'utf8').catch(() => '');
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error('public/openapi.json is stale: run `npm run openapi` and commit the result');
      process.exit(1);
    }
    console.log('public/openapi.json is current');
  } else if (current !== text) {
    await writeFile(DOCUMENT_PATH, text);
    console.log(`wrote public/openapi.json (${text.length} bytes)`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
