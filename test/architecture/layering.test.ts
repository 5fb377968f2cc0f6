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
