/**
 * Bundle breakdown (perf probe, issue 16): which packages and source folders the deployed bundle is
 * made of, in minified and gzip KiB. Builds with wrangler's own `deploy --dry-run` (same esbuild
 * settings as a deploy: minify, es2024, conditions workerd/worker/browser) and reads its source map:
 * every byte of the minified output is attributed to the source file of the mapping that covers it.
 *
 * For each group two gzip figures: "alone" (the group's bytes gzipped on their own) and "saved"
 * (gzip of the whole bundle minus gzip of the bundle without the group's bytes) — what removing that
 * group would save. `npx tsx bench/bundle-breakdown.ts [wrangler.toml]`
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { parseTotalUpload, wranglerEnv } from './bundle-size';

const run = promisify(execFile);
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Source-map "mappings" → per generated line, the [column, sourceIndex] segments (VLQ decoded). */
export function decodeMappings(mappings: string): [number, number][][] {
  const lines: [number, number][][] = [];
  let source = 0;
  let orig = [0, 0, 0];
  for (const line of mappings.split(';')) {
    const segs: [number, number][] = [];
    let column = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0]!;
      if (values.length >= 4) {
        source += values[1]!;
        orig = [values[2]!, values[3]!, 0];
        segs.push([column, source]);
      } else segs.push([column, -1]);
    }
    lines.push(segs);
  }
  void orig;
  return lines;
}

export function groupOf(path: string): string {
  const p = path.replace(/\\/g, '/');
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = p.slice(nm + 'node_modules/'.length);
    if (process.env.BREAKDOWN_FILES) return rest;
    if (rest.startsWith('zod/')) {
      if (rest.includes('/locales/')) return 'zod locales';
      if (rest.includes('/core/')) return 'zod core';
      if (rest.includes('/classic/')) return 'zod classic (z.*)';
      if (rest.includes('/mini/')) return 'zod mini';
      return 'zod other';
    }
    const parts = rest.split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const src = p.indexOf('src/');
  if (src >= 0 && process.env.BREAKDOWN_FILES) return p.slice(src);
  if (src >= 0) {
    const parts = p.slice(src).split('/');
    return parts.length > 2 ? `${parts[0]}/${parts[1]}/` : `${parts[0]}/*.ts`;
  }
  return p.includes('.wrangler') || p.includes('wrangler/templates') ? 'wrangler glue' : `other: ${p}`;
}

export async function breakdown(config: string): Promise<void> {
  const outdir = await mkdtemp(join(tmpdir(), 'bench-breakdown-'));
  try {
    const { stdout, stderr } = await run(
      'npx',
      ['wrangler', 'deploy', '--dry-run', '--config', config, '--outdir', outdir],
      { env: wranglerEnv(), maxBuffer: 16 * 1024 * 1024 },
    );
    const total = parseTotalUpload(`${stdout}\n${stderr}`);
    const files = await readdir(outdir);
    const js = files.find((f) => f.endsWith('.js') && files.includes(`${f}.map`))!;
    const code = await readFile(join(outdir, js), 'utf8');
    const map = JSON.parse(await readFile(join(outdir, `${js}.map`), 'utf8')) as {
      sources: string[];
      mappings: string;
    };
    const segLines = decodeMappings(map.mappings);
    const codeLines = code.split('\n');
    // Attribute every byte to a group; unmapped bytes go to the previous mapping's group.
    const owner: string[] = [];
    const chunks = new Map<string, string[]>();
    let current = 'unmapped';
    const pieces: { group: string; text: string }[] = [];
    codeLines.forEach((line, i) => {
      const segs = segLines[i] ?? [];
      let col = 0;
      for (let s = 0; s <= segs.length; s++) {
        const end = s < segs.length ? segs[s]![0] : line.length;
        if (end > col) pieces.push({ group: current, text: line.slice(col, end) });
        col = Math.max(col, end);
        if (s < segs.length && segs[s]![1] >= 0) current = groupOf(map.sources[segs[s]![1]]!);
      }
      pieces.push({ group: current, text: '\n' });
    });
    void owner;
    for (const { group, text } of pieces) {
      const list = chunks.get(group) ?? [];
      list.push(text);
      chunks.set(group, list);
    }
    const gz = (s: string) => gzipSync(Buffer.from(s), { level: 6 }).length / 1024;
    const whole = gz(code);
    const rows = [...chunks.entries()].map(([group, texts]) => {
      const raw = Buffer.byteLength(texts.join('')) / 1024;
      const without = pieces
        .filter((p) => p.group !== group)
        .map((p) => p.text)
        .join('');
      return { group, raw, alone: gz(texts.join('')), saved: whole - gz(without) };
    });
    // Aggregates: removing several groups at once saves less than the sum (shared gzip dictionary).
    const aggregates: [string, (g: string) => boolean][] = [
      ['= all of src/', (g) => g.startsWith('src/')],
      ['= all of zod', (g) => g.startsWith('zod')],
      ['= zod + zod-to-openapi + zod-openapi', (g) => g.startsWith('zod') || g.includes('zod')],
      ['= all libraries', (g) => !g.startsWith('src/')],
    ];
    for (const [name, test] of aggregates) {
      const mine = pieces.filter((p) => test(p.group)).map((p) => p.text);
      const rest = pieces.filter((p) => !test(p.group)).map((p) => p.text);
      rows.push({
        group: name,
        raw: Buffer.byteLength(mine.join('')) / 1024,
        alone: gz(mine.join('')),
        saved: whole - gz(rest.join('')),
      });
    }
    rows.sort((a, b) => b.saved - a.saved);
    console.log(`wrangler Total Upload: ${total.rawKiB} KiB / gzip ${total.gzipKiB} KiB (${config})`);
    console.log(`output ${js}: ${(code.length / 1024).toFixed(1)} KiB, gzip -6 ${whole.toFixed(1)} KiB`);
    console.log('group                               |  min KiB | gzip alone | gzip saved if removed');
    for (const r of rows) {
      console.log(
        [
          r.group.padEnd(35),
          r.raw.toFixed(1).padStart(8),
          r.alone.toFixed(1).padStart(10),
          r.saved.toFixed(1).padStart(10),
        ].join(' | '),
      );
    }
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await breakdown(process.argv[2] ?? 'wrangler.toml');
