/**
 * The files a one-step deploy reads (docs/deploy.md): `wrangler.toml` (the bindings; STATE without an
 * id, so the first `wrangler deploy` creates it), `.dev.vars.example` (the secrets the Deploy to
 * Cloudflare button asks for, each as a required secret, pre-filled with the value written there) and
 * `package.json` → `cloudflare.bindings` (the button's description of each). Read as text, as the
 * button and wrangler read them.
 */
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import devVarsExample from '../../.dev.vars.example?raw';
import packageJson from '../../package.json?raw';
import wranglerToml from '../../wrangler.toml?raw';
import { SECRET_NAMES, loadConfig } from '../../src/config';
import type { Env } from '../../src/env';

/** The secrets the worker cannot do its job without; every other one is optional. */
const REQUIRED_SECRETS = ['ADMIN_TOKEN', 'WEBSHARE_API_KEY'];

/** `NAME=value` lines of a dotenv file, comments and blank lines left out. */
function dotenvEntries(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(trimmed);
    if (!match) throw new Error(`.dev.vars.example: not a NAME=value line: ${trimmed}`);
    entries.set(match[1]!, match[2]!);
  }
  return entries;
}

/** The `[[kv_namespaces]]` tables of wrangler.toml, each as its text up to the next table. */
function kvTables(toml: string): string[] {
  return [...toml.matchAll(/^\[\[kv_namespaces\]\]\n([\s\S]*?)(?=^\[|$(?![\s\S]))/gm)].map((m) => m[1]!);
}

const entries = dotenvEntries(devVarsExample);
const bindings = (
  JSON.parse(packageJson) as { cloudflare?: { bindings?: Record<string, { description?: unknown }> } }
).cloudflare?.bindings;

describe('.dev.vars.example', () => {
  it('lists exactly the two secrets the worker needs to start, and no optional one', () => {
    expect([...entries.keys()].sort()).toEqual(REQUIRED_SECRETS);
  });

  it.each(REQUIRED_SECRETS)('leaves %s empty, so no example value is deployed as a secret', (name) => {
    expect(entries.get(name)).toBe('');
  });

  it.each(REQUIRED_SECRETS)('lists %s, which the worker reads as a secret', (name) => {
    expect(SECRET_NAMES).toContain(name);
  });

  it('says how to generate ADMIN_TOKEN', () => {
    expect(devVarsExample).toContain('openssl rand -hex 24');
  });

  it('names every secret the worker needs: with these two and nothing else, the config has no problem', async () => {
    const env = {
      WEBSHARE_API_KEY: 'a-webshare-key-for-this-test',
      ADMIN_TOKEN: 'an-admin-token-of-32-characters!',
    } as unknown as Env;
    const config = await loadConfig(env);
    expect(config.problems).toEqual([]);
    expect(config.webshareApiKey).toBeDefined();
    expect(config.adminToken).toBeDefined();
  });
});

describe('wrangler.toml', () => {
  it('binds STATE without the placeholder id a plain deploy would fail on', () => {
    expect(wranglerToml).not.toMatch(/id\s*=\s*"0+"/);
  });

  it('binds STATE without an id, so the first deploy creates the namespace', () => {
    const tables = kvTables(wranglerToml);
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatch(/^binding = "STATE"$/m);
    expect(tables[0]).not.toMatch(/^\s*id\s*=/m);
  });
});

describe('package.json cloudflare.bindings', () => {
  it.each([...REQUIRED_SECRETS, 'STATE'])('describes %s for the Deploy to Cloudflare button', (name) => {
    const description = bindings?.[name]?.description;
    expect(typeof description).toBe('string');
    expect((description as string).length).toBeGreaterThan(20);
  });

  it('describes nothing the deploy does not ask for', () => {
    expect(Object.keys(bindings ?? {}).sort()).toEqual([...REQUIRED_SECRETS, 'STATE'].sort());
  });
});
