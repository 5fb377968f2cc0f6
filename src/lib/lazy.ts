/**
 * A value built on its first use instead of at module load. For zod schemas that a cron tick does
 * not need: building a zod schema is the dearest part of evaluating the worker's modules, which a
 * fresh isolate pays before its first tick (docs/performance.md, "The cold tick").
 */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
