/**
 * The layering of src/ (docs/architecture.md), checked from the source text: every import between two
 * areas points down the layer table or sideways without a cycle, and the leaves import nothing else.
 * It is stricter than "no two areas import each other": an area importing a higher layer fails here
 * even when nothing imports it back, so the next change cannot start a loop.
 */
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob<string>(['../../src/**/*.ts', '../../src/**/*.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** Lower number, lower layer. A root file or a top-level folder of src/ is one area. */
const LAYER: Record<string, number> = {
  lib: 0,
  model: 0,
  env: 0,
  config: 1,
  notifiers: 2,
  storage: 2,
  webshare: 2,
  'error-mapping': 2,
  poller: 3,
  alerts: 3,
  remediation: 3,
  provisioning: 3,
  digest: 3,
  cycle: 4,
  status: 5,
  routes: 6,
  middleware: 6,
  dashboard: 6,
  chatops: 6,
  context: 6,
  app: 7,
  index: 7,
  scheduled: 7,
};
const LEAVES = ['lib', 'model', 'env'];

function areaOf(path: string): string {
  const parts = path.replace(/^.*?\/src\//, '').split('/');
  return parts.length === 1 ? (parts[0] as string).replace(/\.tsx?$/, '') : (parts[0] as string);
}

function resolve(from: string, specifier: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

interface Edge {
  from: string;
  to: string;
  file: string;
}

const edges: Edge[] = [];
for (const [file, text] of Object.entries(sources)) {
  for (const match of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = resolve(file, match[1] as string);
    if (!target.includes('/src/')) continue;
    const from = areaOf(file);
    const to = areaOf(target);
    if (from !== to) edges.push({ from, to, file: file.replace(/^.*?\/src\//, 'src/') });
  }
}

describe('the layering of src/', () => {
  it('reads the source (the glob found files and imports)', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    expect(edges.length).toBeGreaterThan(50);
  });

  it('places every area of src/ in a layer', () => {
    const areas = new Set(Object.keys(sources).map(areaOf));
    const unplaced = [...areas].filter((area) => LAYER[area] === undefined);
    expect(unplaced, 'add new areas to the layer table here and in docs/architecture.md').toEqual([]);
  });

  it('never imports a higher layer, not even for a type', () => {
    const upward = edges
      .filter((e) => (LAYER[e.to] ?? 0) > (LAYER[e.from] ?? 0))
      .map((e) => `${e.file} → ${e.to}`);
    expect(upward).toEqual([]);
  });

  it('keeps lib/, model/ and env.ts as leaves', () => {
    const out = edges.filter((e) => LEAVES.includes(e.from)).map((e) => `${e.file} → ${e.to}`);
    expect(out).toEqual([]);
  });

  it('has no cycle between areas, sideways imports included', () => {
    const next = new Map<string, Set<string>>();
    for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
    const cycles: string[] = [];
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (area: string, path: string[]) => {
      if (visiting.has(area)) {
        cycles.push([...path.slice(path.indexOf(area)), area].join(' → '));
        return;
      }
      if (done.has(area)) return;
      visiting.add(area);
      for (const to of next.get(area) ?? []) visit(to, [...path, area]);
      visiting.delete(area);
      done.add(area);
    };
    for (const area of next.keys()) visit(area, []);
    expect(cycles).toEqual([]);
  });
});

/** KV's own methods: a call of one of these on a KV namespace is KV I/O. */
const KV_METHODS = 'get|getWithMetadata|put|delete|list';

/**
 * Names that hold a KV namespace in a file (a Durable Object's own `ctx.storage.kv` is not Workers KV): the binding (`STATE`), the project's usual `kv`, and any
 * name the file declares with the KVNamespace type (a parameter, a field, a variable).
 */
function kvNames(text: string): string[] {
  const declared = [...text.matchAll(/([A-Za-z_$#][\w$]*)\??\s*:\s*KVNamespace\b/g)].map(
    (m) => m[1] as string,
  );
  return [...new Set(['STATE', 'kv', ...declared])];
}

/** Every KV call in a file's text, as `line: code`. */
function kvCalls(text: string): string[] {
  const names = kvNames(text)
    .map((name) => name.replace(/[$#]/g, '\\$&'))
    .join('|');
  const call = new RegExp(
    `(?:(?<![\\w$]|ctx\\.storage\\.)(?:${names})|KVNamespace(?:<[^>]*>)?\\s*\\))\\s*\\.\\s*(?:${KV_METHODS})\\s*(?:<[^()]*>)?\\s*\\(`,
  );
  return text
    .split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => call.test(line))
    .map(({ line, index }) => `${index + 1}: ${line.trim()}`);
}

describe('KV access', () => {
  const outsideStorage = Object.entries(sources).filter(([file]) => areaOf(file) !== 'storage');

  it('recognises a KV call however the namespace is named', () => {
    expect(kvCalls('await kv.get(KV_PREFIX.silences)')).toHaveLength(1);
    expect(kvCalls('await this.#kv.put(key, value)')).toHaveLength(1);
    expect(kvCalls('const listed = await kv.list<InFlightReplacement>({')).toHaveLength(1);
    expect(kvCalls('await c.env.STATE.delete(key)')).toHaveLength(1);
    expect(kvCalls('function f(store: KVNamespace) {\n  return store.getWithMetadata(key);\n}')).toHaveLength(
      1,
    );
    expect(kvCalls('await (env.STATE as KVNamespace).get(key)')).toHaveLength(1);
    expect(kvCalls('const value = map.get(key); await this.ctx.storage.put(k, v);')).toEqual([]);
    expect(kvCalls('const log = this.ctx.storage.kv.get<number[]>(key);')).toEqual([]);
  });

  it('happens only in src/storage/: every other area calls a storage module', () => {
    const calls = outsideStorage.flatMap(([file, text]) =>
      kvCalls(text).map((call) => `${file.replace(/^.*?\/src\//, 'src/')}:${call}`),
    );
    expect(calls).toEqual([]);
  });

  it('names every key through src/storage/keys.ts: storage modules that call KV import KV_PREFIX', () => {
    const storage = Object.entries(sources).filter(
      ([file]) => areaOf(file) === 'storage' && kvCalls(sources[file] as string).length > 0,
    );
    expect(storage.length).toBeGreaterThan(3);
    const inline = storage
      .filter(([, text]) => !/import\s*\{[^}]*\bKV_PREFIX\b[^}]*\}\s*from\s*'\.\/keys'/.test(text))
      .map(([file]) => file.replace(/^.*?\/src\//, 'src/'));
    expect(inline).toEqual([]);
    const literalKeys = storage.flatMap(([file, text]) =>
      kvCalls(text)
        .filter((call) => /\(\s*(?:'|"|`(?!\$\{KV_PREFIX\.))|prefix:\s*['"`]/.test(call))
        .map((call) => `${file.replace(/^.*?\/src\//, 'src/')}:${call}`),
    );
    expect(literalKeys, 'name the key in KV_PREFIX (src/storage/keys.ts)').toEqual([]);
  });
});
