/**
 * A cron tick never loads zod (issue 25): loading it and building the schemas was the largest part of
 * a fresh isolate's first tick (docs/performance.md, "The cold tick"). What the worker evaluates
 * before its first tick is the static import graph of src/index.ts (the app is imported dynamically,
 * on the first request); no module in it may import zod, except for its types. What a tick reads is
 * read by src/lib/json-reader.ts's readers; the zod schemas are imported with `import()` where needed.
 */
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob<string>(['../../src/**/*.ts', '../../src/**/*.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const code = new Map(
  Object.entries(sources).map(([path, text]) => [
    path.replace(/^.*?\/src\//, 'src/'),
    text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1'),
  ]),
);

/** Static imports and re-exports that load a module (`import type` and `export type` do not). */
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function resolve(from: string, specifier: string): string | undefined {
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  const base = parts.join('/');
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((path) => code.has(path));
}

/** Every module src/index.ts loads statically, with the chain of imports that reaches it. */
function staticGraph(entry: string): Map<string, string[]> {
  const reached = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const [, specifier] of code.get(file)!.matchAll(STATIC_IMPORT)) {
      if (!specifier!.startsWith('.')) {
        reached.set(`${file} → ${specifier}`, [...reached.get(file)!, specifier!]);
        continue;
      }
      const target = resolve(file, specifier!);
      if (target && !reached.has(target)) {
        reached.set(target, [...reached.get(file)!, target]);
        queue.push(target);
      }
    }
  }
  return reached;
}

describe('the cron tick', () => {
  const graph = staticGraph('src/index.ts');

  it('loads the scheduled handler and the Durable Objects, and not the app', () => {
    expect(graph.has('src/scheduled.ts')).toBe(true);
    expect(graph.has('src/poller/collect.ts')).toBe(true);
    expect(graph.has('src/app.ts')).toBe(false);
  });

  it('loads no module that imports zod', () => {
    const zodImports = [...graph.entries()]
      .filter(([edge]) => /→ zod(\/|$)/.test(edge))
      .map(([, chain]) => chain.join(' → '));
    expect(zodImports).toEqual([]);
  });
});
