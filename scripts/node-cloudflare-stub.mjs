// Lets Node import src/ modules that extend `DurableObject` from 'cloudflare:workers' (build scripts
// only: nothing here runs a Durable Object). Use: node --import ./scripts/node-cloudflare-stub.mjs
import { register } from 'node:module';

const STUB = 'export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }';
register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      if (specifier === 'cloudflare:workers') return { url: 'data:text/javascript,${encodeURIComponent(STUB)}', shortCircuit: true };
      return next(specifier, context);
    }`)}`,
);
