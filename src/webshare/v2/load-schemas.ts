/**
 * v2's zod schemas (./schemas.ts), loaded by the first call that needs one. A cron tick reads only
 * what ./readers.ts reads, so it never loads zod, the dearest part of a fresh isolate's first tick
 * (docs/performance.md, "The cold tick").
 */
export const loadSchemas = () => import('./schemas');
