/**
 * One Webshare port (issue 23): outside src/webshare/ nothing branches on the dialect or builds a
 * client. Checked from the source text, comments stripped:
 * - no dialect name ('v1', 'v2') as a literal outside src/webshare/ and src/model/dialect.ts, where
 *   the names are defined (what differs is a property of the port, read, never compared by name);
 * - no import of a dialect's folder, the table of implementations, `auto` or the transport from
 *   outside src/webshare/ (the port comes from webshare/open.ts, the one factory);
 * - inside src/webshare/, the dialects' clients are constructed only where the table says, and the
 *   parts both dialects share import neither dialect's folder.
 */
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { WEBSHARE_DIALECTS } from '../../src/model/dialect';

const sources = import.meta.glob<string>(['../../src/**/*.ts', '../../src/**/*.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const files = Object.entries(sources).map(([path, text]) => ({
  path: path.replace(/^.*?\/src\//, 'src/'),
  code: withoutComments(text),
}));

/** The source without its comments (strings are kept: a comment marker inside one is rare here). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const inWebshare = (path: string) => path.startsWith('src/webshare/');

/**
 * Literals that spell a dialect's name but name something else: the signature scheme `v1` of
 * Stripe's and Standard Webhooks' headers.
 */
const NOT_A_DIALECT = new Set(['src/lib/stripe-signature.ts', 'src/lib/standard-webhooks.ts']);
const DIALECT_NAMES_DEFINED_IN = 'src/model/dialect.ts';

const dialectLiteral = new RegExp(`(['"\`])(${WEBSHARE_DIALECTS.join('|')})\\1`, 'g');

function dialectLiterals(): string[] {
  const found: string[] = [];
  for (const { path, code } of files) {
    if (inWebshare(path) || path === DIALECT_NAMES_DEFINED_IN || NOT_A_DIALECT.has(path)) continue;
    for (const match of code.matchAll(dialectLiteral)) found.push(`${path}: ${match[0]}`);
  }
  return found;
}

/** The parts of src/webshare/ only src/webshare/ may import. */
const INTERNAL = /from\s+['"][./]*\/?(?:.*\/)?webshare\/(v1|v2|dialects|auto|transport)(?:\/[^'"]*)?['"]/g;

function internalImports(): string[] {
  const found: string[] = [];
  for (const { path, code } of files) {
    if (inWebshare(path)) continue;
    for (const match of code.matchAll(INTERNAL)) found.push(`${path}: ${match[0]}`);
  }
  return found;
}

const CLIENT_CONSTRUCTION =
  /new\s+(WebshareClient|WebshareV2Client|ResolvingWebshare|WebshareTransport)\s*\(/g;
/**
 * Where a client may be built: the table (dialects.ts), the factory's `auto` (open.ts), each client's
 * own transport, the v2 probe, and the doctor, which reads v2-only endpoints the port does not offer.
 */
const BUILDS_CLIENTS = new Set([
  'src/webshare/dialects.ts',
  'src/webshare/open.ts',
  'src/webshare/v1/client.ts',
  'src/webshare/v2/client.ts',
  'src/webshare/v2/probe.ts',
  'src/webshare/doctor/run.ts',
  'src/webshare/doctor/x-subuser.ts',
]);

function constructions(): string[] {
  const found: string[] = [];
  for (const { path, code } of files) {
    if (BUILDS_CLIENTS.has(path)) continue;
    for (const match of code.matchAll(CLIENT_CONSTRUCTION)) found.push(`${path}: ${match[0]}`);
  }
  return found;
}

/** Shared parts of src/webshare/ that may reach into a dialect: the table, `auto`'s probe, the doctor. */
const REACHES_INTO_DIALECTS = new Set(['src/webshare/dialects.ts', 'src/webshare/auto.ts']);
const DIALECT_FOLDER = /from\s+['"]\.{1,2}\/(?:\.\.\/)*(v1|v2)\//g;

function sharedReachingIntoDialects(): string[] {
  const found: string[] = [];
  for (const { path, code } of files) {
    if (!inWebshare(path) || /^src\/webshare\/(v1|v2|doctor)\//.test(path) || REACHES_INTO_DIALECTS.has(path))
      continue;
    for (const match of code.matchAll(DIALECT_FOLDER)) found.push(`${path}: ${match[0]}`);
  }
  return found;
}

describe('one Webshare port', () => {
  it('reads the source (the glob found the worker and the checks find what they look for)', () => {
    expect(files.length).toBeGreaterThan(100);
    // The checks can fail: each finds its pattern where it is allowed.
    const defined = files.find((f) => f.path === DIALECT_NAMES_DEFINED_IN)!;
    expect(defined.code.match(dialectLiteral)).not.toBeNull();
    const factory = files.find((f) => f.path === 'src/webshare/open.ts')!;
    expect([...factory.code.matchAll(INTERNAL)].length).toBe(0);
    expect(`import { x } from '../webshare/v2/client';`.match(INTERNAL)).not.toBeNull();
    expect(`import { x } from '../../webshare/dialects';`.match(INTERNAL)).not.toBeNull();
    expect(
      files.find((f) => f.path === 'src/webshare/dialects.ts')!.code.match(CLIENT_CONSTRUCTION),
    ).not.toBeNull();
  });

  it('names no dialect outside src/webshare/: no branch or default on a dialect name', () => {
    expect(dialectLiterals()).toEqual([]);
  });

  it('imports no dialect, table, auto or transport from outside src/webshare/', () => {
    expect(internalImports()).toEqual([]);
  });

  it('builds Webshare clients only in the table of dialects and the places it names', () => {
    expect(constructions()).toEqual([]);
  });

  it('keeps what both dialects share free of either dialect: only the table and auto reach into v1/ and v2/', () => {
    expect(`import { x } from '../v2/access-budget';`.match(DIALECT_FOLDER)).not.toBeNull();
    expect(`import { x } from './v1/client';`.match(DIALECT_FOLDER)).not.toBeNull();
    expect(sharedReachingIntoDialects()).toEqual([]);
  });
});
