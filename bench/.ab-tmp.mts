// A/B under wrangler dev: the base tree (document bundled, no [assets]) vs this branch ([assets] with
// run_worker_first), same routes, alternating rounds. Not committed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const TOKEN = 'bench-admin-token-0123456789';
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SECONDS = Number(process.env.SECONDS ?? 5);
const sides = { base: '/tmp/b25-base/wrangler.toml', assets: '/work/wt/bundle25/wrangler.toml' };
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => { try { process.kill(-c.pid!, 'SIGKILL'); } catch {} }));

async function start(config: string, port: number, inspector: number): Promise<string> {
  const child = spawn('npx', ['wrangler', 'dev', '--config', config, '--ip', '127.0.0.1', '--port', String(port),
    '--inspector-port', String(inspector), '--persist-to', mkdtempSync(join(tmpdir(), 'b25ab-')),
    '--show-interactive-dev-session=false', '--log-level', 'warn', '--var', `ADMIN_TOKEN:${TOKEN}`,
    '--var', 'WEBSHARE_API_KEY:x'], { cwd: join(config, '..'), detached: true, stdio: 'ignore',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' } });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 360; i++) {
    try { await fetch(`${base}/healthz`); return base; } catch { await new Promise((r) => setTimeout(r, 250)); }
  }
  throw new Error(`no answer from ${config}`);
}

const bases = { base: await start(sides.base, 18811, 19811), assets: await start(sides.assets, 18812, 19812) };
const targets = [
  { name: 'GET /healthz', path: '/healthz', headers: {} },
  { name: 'GET /docs', path: '/docs', headers: {} },
  { name: 'GET /openapi.json', path: '/openapi.json', headers: {} },
];
for (const side of ['base', 'assets'] as const) {
  for (const t of targets) {
    const r = await fetch(bases[side] + t.path, { headers: t.headers });
    console.log(side, t.path, r.status, r.headers.get('content-type'), (await r.text()).length);
  }
}
const results: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const t of targets) {
    const order = round % 2 === 0 ? (['base', 'assets'] as const) : (['assets', 'base'] as const);
    for (const side of order) {
      const r = await autocannon({ url: bases[side] + t.path, headers: t.headers, connections: 50, duration: SECONDS });
      (results[`${t.name} ${side}`] ??= []).push(r.requests.average);
      if (r.non2xx || r.errors) console.log('FAIL', t.name, side, r.non2xx, r.errors);
    }
  }
  console.log('round', round, JSON.stringify(results));
}
const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
for (const t of targets) {
  const b = results[`${t.name} base`]!, a = results[`${t.name} assets`]!;
  const ratios = a.map((x, i) => x / b[i]!);
  console.log(`${t.name.padEnd(18)} base ${med(b).toFixed(0)} req/s, assets ${med(a).toFixed(0)} req/s, assets/base per round ${ratios.map((r) => r.toFixed(2)).join(' ')}, median ${med(ratios).toFixed(2)}`);
}
process.exit(0);
