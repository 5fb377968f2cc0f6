/**
 * docs/configuration.md against the source: every variable the worker reads is in the doc's variables
 * table, and every variable the table lists exists in the `Env` interface. The names are pulled out of
 * the source text with regexes (not imported), so a variable added anywhere the config is read fails
 * here until it is documented, and a documented one that is removed from `Env` fails too.
 */
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import doc from '../../docs/configuration.md?raw';
import configSource from '../../src/config.ts?raw';
import envSource from '../../src/env.ts?raw';
import generatedEnvSource from '../../worker-configuration.d.ts?raw';

/** src/config/*.ts (the ALERTS, PLANS and REMEDIATION schemas, once they live there). */
const configDirSources = Object.values(
  import.meta.glob<string>('../../src/config/*.ts', { query: '?raw', import: 'default', eager: true }),
);
/** Every source file, for `env.NAME` reads outside config.ts (chat-ops' transport settings, for one). */
const allSources = import.meta.glob<string>(['../../src/**/*.ts', '../../src/**/*.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const NAME = '[A-Z][A-Z0-9_]*';
/** Binding types: declared in wrangler.toml, not variables anyone sets. */
const BINDING_TYPE = /\b(KVNamespace|DurableObjectNamespace|R2Bucket|D1Database|Fetcher|Queue|Service)\b/;

interface EnvKey {
  name: string;
  type: string;
}

/**
 * The keys of an `interface Env … { … }` with their declared types: src/env.ts's (secrets and optional
 * settings) and the one `wrangler types` generates in worker-configuration.d.ts (bindings and [vars]).
 */
function envKeys(source: string): EnvKey[] {
  const body = /interface Env\b[^{]*\{([\s\S]*?)\n\s*\}/.exec(source)?.[1] ?? '';
  const withoutComments = body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return [...withoutComments.matchAll(new RegExp(`^\\s*(${NAME})\\??\\s*:\\s*([^;]+);`, 'gm'))].map((m) => ({
    name: m[1]!,
    type: m[2]!.trim(),
  }));
}

/**
 * `env.NAME`, `env?.NAME`, `env['NAME']`, `secret('NAME')` and the strings of `SECRET_NAMES = [ … ]`.
 * No space after the dot, so prose in comments ("the env. Never …") is not read as a name.
 */
function namesRead(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(new RegExp(`\\benv(?:\\?\\.|\\.)(${NAME})\\b`, 'g'))) {
    names.add(m[1]!);
  }
  for (const m of source.matchAll(new RegExp(`\\benv\\s*\\[\\s*['"\`](${NAME})['"\`]\\s*\\]`, 'g'))) {
    names.add(m[1]!);
  }
  for (const m of source.matchAll(new RegExp(`\\bsecret\\(\\s*['"\`](${NAME})['"\`]`, 'g'))) {
    names.add(m[1]!);
  }
  const secretList = /SECRET_NAMES\s*=\s*\[([\s\S]*?)\]/.exec(source)?.[1] ?? '';
  for (const m of secretList.matchAll(new RegExp(`['"\`](${NAME})['"\`]`, 'g'))) names.add(m[1]!);
  return [...names];
}

function secretNames(source: string): string[] {
  const list = /SECRET_NAMES\s*=\s*\[([\s\S]*?)\]/.exec(source)?.[1] ?? '';
  return [...list.matchAll(new RegExp(`['"\`](${NAME})['"\`]`, 'g'))].map((m) => m[1]!);
}

/** Rows of the doc's table whose header's first cell is `Variable`: name → kind (second cell). */
function documentedVariables(markdown: string): Map<string, string> {
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) => /^\|\s*Variable\s*\|/.test(line));
  const rows = new Map<string, string>();
  if (header === -1) return rows;
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').map((cell) => cell.trim());
    const name = new RegExp(`^\`(${NAME})\`$`).exec(cells[1] ?? '')?.[1];
    if (name) rows.set(name, cells[2] ?? '');
  }
  return rows;
}

const keys = [...envKeys(envSource), ...envKeys(generatedEnvSource)];
const bindings = new Set(keys.filter((k) => BINDING_TYPE.test(k.type)).map((k) => k.name));
const variables = new Set(keys.filter((k) => !bindings.has(k.name)).map((k) => k.name));
const documented = documentedVariables(doc);
/** Bindings read in config.ts (RATE_GATE rides along in the config) are checked against the Bindings table. */
const readInConfig = [configSource, ...configDirSources]
  .flatMap(namesRead)
  .filter((name) => !bindings.has(name));
/** The first cells of the doc's Bindings table. */
const documentedBindings = new Set(
  [...(/## Bindings[\s\S]*?(?=\n## )/.exec(doc)?.[0] ?? '').matchAll(/^\|\s*`([A-Z_]+)`\s*\|/gm)].map(
    (m) => m[1]!,
  ),
);
const readAnywhere = Object.values(allSources)
  .flatMap(namesRead)
  .filter((name) => !bindings.has(name));

describe('docs/configuration.md', () => {
  it('finds the names it checks (the extraction itself works)', () => {
    expect(bindings).toEqual(
      new Set([
        'STATE',
        'ASSETS',
        'PROVISIONER',
        'POLL_LOCK',
        'IDEMPOTENCY',
        'LOGIN_THROTTLE',
        'RATE_GATE',
        'ACCESS_LOCK',
      ]),
    );
    expect(variables.size).toBeGreaterThanOrEqual(20);
    expect(readInConfig).toEqual(expect.arrayContaining(['WEBSHARE_API_KEY', 'ALERTS', 'PUBLIC_URL']));
    expect(readAnywhere).toEqual(
      expect.arrayContaining(['DISCORD_API_BASE_URL', 'SLACK_RESPONSE_URL_HOSTS']),
    );
    expect(documented.size).toBeGreaterThanOrEqual(20);
  });

  it.each([...bindings].sort())('lists the %s binding in the Bindings table', (name) => {
    expect(documentedBindings.has(name), `${name} is bound in Env but missing from the Bindings table`).toBe(
      true,
    );
  });

  it.each([...new Set(readInConfig)].sort())('documents %s, read in src/config', (name) => {
    expect(documented.has(name), `${name} is read in src/config but missing from the table`).toBe(true);
  });

  it.each([...variables].sort())('documents %s, a variable of Env', (name) => {
    expect(documented.has(name), `${name} is in Env but missing from the table`).toBe(true);
  });

  it.each([...new Set(readAnywhere)].sort())('documents %s, read from env in src/', (name) => {
    expect(documented.has(name), `${name} is read in src/ but missing from the table`).toBe(true);
  });

  it.each([...documented.keys()].sort())('promises %s, which exists in Env', (name) => {
    expect(variables.has(name), `the table lists ${name}, which src/env.ts does not declare`).toBe(true);
  });

  it.each(secretNames(configSource))('marks %s as a secret', (name) => {
    expect(documented.get(name)).toBe('secret');
  });

  it('marks every other variable as a var', () => {
    const secrets = new Set(secretNames(configSource));
    const wrong = [...documented].filter(([name, kind]) => !secrets.has(name) && !kind.startsWith('var'));
    expect(wrong).toEqual([]);
  });
});
