/**
 * Bundle size: builds webshare-ops and a bare Hono hello-world worker with the same
 * `wrangler deploy --dry-run` and reports wrangler's own "Total Upload" figures, raw and gzip,
 * with the ratio of ours to the baseline. Nothing is uploaded: --dry-run stops before the network.
 */
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { reportGoal, reportLine } from './bench-util';

const run = promisify(execFile);

/** The goal of issue 25 (issues 9 and 16 asked for 64 KiB; docs/performance.md says why not). */
export const BUNDLE_GOAL_GZIP_KIB = 140;
const BUILD_TIMEOUT_MS = 120_000;
const TOTAL_UPLOAD = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/;

export const PROJECT_CONFIG = 'wrangler.toml';
const FIXTURES_DIR = 'bench/fixtures';
const FIXTURE_FILES = ['wrangler.toml', 'index.ts'];

/**
 * A copy of a bench fixture (bench/fixtures/<name>) in a temporary directory (node_modules linked in): wrangler writes
 * `.wrangler/` next to the config it runs, and that must not land in the source tree (ESLint would
 * lint wrangler's generated files). Call `cleanup` when done.
 */
export async function fixtureCopy(
  name: 'bare-hono' | 'bare-kv' | 'bare-signed',
): Promise<{ config: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `bench-${name}-`));
  for (const file of FIXTURE_FILES) await copyFile(join(FIXTURES_DIR, name, file), join(dir, file));
  // The HTTP baselines serve static assets, as webshare-ops does: their wrangler.toml points here.
  await cp(join(FIXTURES_DIR, 'assets'), join(dir, 'assets'), { recursive: true });
  await symlink(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  return { config: join(dir, 'wrangler.toml'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const bareHonoCopy = () => fixtureCopy('bare-hono');

export interface BundleSize {
  rawKiB: number;
  gzipKiB: number;
}

/** wrangler must not try to reach Cloudflare: no metrics, no update check worth waiting for. */
export function wranglerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };
}

export function parseTotalUpload(output: string): BundleSize {
  const match = TOTAL_UPLOAD.exec(output);
  if (!match) throw new Error(`no "Total Upload" line in wrangler's output:\n${output.slice(-2_000)}`);
  return { rawKiB: Number(match[1]), gzipKiB: Number(match[2]) };
}

/** Builds the worker of `configPath` into `outdir` (index.js and its map) and returns its size. */
export async function buildBundle(configPath: string, outdir: string): Promise<BundleSize> {
  const { stdout, stderr } = await run(
    'npx',
    ['wrangler', 'deploy', '--dry-run', '--config', configPath, '--outdir', outdir],
    { env: wranglerEnv(), timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
  );
  return parseTotalUpload(`${stdout}\n${stderr}`);
}

export async function buildSize(configPath: string): Promise<BundleSize> {
  const outdir = await mkdtemp(join(tmpdir(), 'bench-bundle-'));
  try {
    return await buildBundle(configPath, outdir);
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

export async function benchBundleSize(): Promise<void> {
  const ours = await buildSize(PROJECT_CONFIG);
  const bareHono = await bareHonoCopy();
  let bare: BundleSize;
  try {
    bare = await buildSize(bareHono.config);
  } finally {
    await bareHono.cleanup();
  }
  console.log('\nBundle size (wrangler deploy --dry-run, Total Upload)');
  console.log('worker          | raw KiB  | gzip KiB | gzip ratio to bare Hono');
  const row = (name: string, size: BundleSize) =>
    [
      name.padEnd(15),
      size.rawKiB.toFixed(2).padStart(8),
      size.gzipKiB.toFixed(2).padStart(8),
      `${(size.gzipKiB / bare.gzipKiB).toFixed(1)}×`.padStart(8),
    ].join(' | ');
  console.log(row('bare Hono', bare));
  console.log(row('webshare-ops', ours));
  reportGoal(
    `bundle ≤ ${BUNDLE_GOAL_GZIP_KIB} KiB gzip`,
    `${ours.gzipKiB.toFixed(2)} KiB`,
    ours.gzipKiB <= BUNDLE_GOAL_GZIP_KIB,
  );
  reportLine(`bundle-gzip-kib=${ours.gzipKiB.toFixed(2)}`);
}
