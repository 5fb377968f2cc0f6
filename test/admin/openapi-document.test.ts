/**
 * /openapi.json as client teams consume it: validators and SDK generators compile its patterns, check
 * its examples, name methods after operationIds, send credentials by its security requirements and
 * resolve paths against its servers. Each test reads the document the real worker serves.
 */
import { SELF, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import committedDocument from '../../public/openapi.json?raw';
import { withOperationIds } from '../../scripts/openapi-operation-ids';
import { createApp } from '../../src/app';
import { ResetPasswordBody } from '../../src/routes/admin/access-schemas';
import { type JsonSchema, validateAgainst } from '../helpers/json-schema-subset';
import { ORIGIN, callWithEnv } from './helpers';
import { type MediaType, type OpenApiDocument, operationsOf, servedDocument } from './openapi-helpers';

/** Operations a caller reaches without any bearer token: the document must say `security: []`. */
const PUBLIC_OPERATIONS = [
  'GET /healthz',
  'POST /hooks/signup',
  'POST /hooks/stripe',
  'POST /chatops/slack',
  'POST /chatops/discord',
  'POST /chatops/slack/interactions',
];

/** Every schema node (with the nodes nested in it), named by where it sits in the document. */
function* schemaNodes(schema: JsonSchema, where: string): Generator<[JsonSchema, string]> {
  yield [schema, where];
  for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    yield* schemaNodes(property, `${where}.${name}`);
  }
  for (const keyword of ['items', 'additionalProperties', 'not']) {
    const nested = schema[keyword];
    if (nested && typeof nested === 'object') yield* schemaNodes(nested as JsonSchema, `${where}/${keyword}`);
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    for (const [i, nested] of ((schema[keyword] ?? []) as JsonSchema[]).entries()) {
      yield* schemaNodes(nested, `${where}/${keyword}/${i}`);
    }
  }
}

/** A schema's own examples: `example` (OpenAPI) and `examples` (JSON Schema, a list). */
const ownExamples = (schema: JsonSchema): unknown[] => [
  ...('example' in schema ? [schema.example] : []),
  ...(Array.isArray(schema.examples) ? schema.examples : []),
];

/** A media type's or parameter's examples, beside its schema. */
const holderExamples = (holder: MediaType): unknown[] => [
  ...('example' in holder ? [holder.example] : []),
  ...Object.values(holder.examples ?? {}).map((example) => example.value),
];

/** Every place the document holds a schema: components, parameters, bodies, responses, headers. */
function schemaHolders(doc: OpenApiDocument): { schema: JsonSchema; where: string; examples: unknown[] }[] {
  const holders = Object.entries(doc.components.schemas).map(([name, schema]) => ({
    schema,
    where: `#/components/schemas/${name}`,
    examples: [] as unknown[],
  }));
  for (const { key, operation } of operationsOf(doc)) {
    const add = (holder: MediaType, where: string) => {
      if (holder.schema)
        holders.push({ schema: holder.schema, where: `${key} ${where}`, examples: holderExamples(holder) });
    };
    for (const parameter of operation.parameters ?? []) add(parameter, `${parameter.in} ${parameter.name}`);
    for (const [type, media] of Object.entries(operation.requestBody?.content ?? {}))
      add(media, `body ${type}`);
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      for (const [type, media] of Object.entries(response.content ?? {})) add(media, `${status} ${type}`);
      for (const [name, header] of Object.entries(response.headers ?? {}))
        add(header, `${status} header ${name}`);
    }
  }
  return holders;
}

describe('the OpenAPI document for client teams', () => {
  it('has patterns that compile with and without the u flag and accept the examples of their schema', async () => {
    const doc = await servedDocument();
    const patterned = schemaHolders(doc).flatMap(({ schema, where }) =>
      [...schemaNodes(schema, where)].filter(([node]) => typeof node.pattern === 'string'),
    );
    expect(patterned.length).toBeGreaterThan(0);
    for (const [node, where] of patterned) {
      const pattern = node.pattern as string;
      const plain = new RegExp(pattern);
      const unicode = new RegExp(pattern, 'u');
      const examples = ownExamples(node);
      expect(examples.length, `${where}: a pattern without an example hides a broken one`).toBeGreaterThan(0);
      for (const example of examples) {
        expect(plain.test(String(example)), `${where}: ${pattern} rejects its example ${example}`).toBe(true);
        expect(unicode.test(String(example)), `${where}: ${pattern} (u) rejects its example ${example}`).toBe(
          true,
        );
      }
    }
  });

  it('has examples that each validate against the schema they illustrate', async () => {
    const doc = await servedDocument();
    const checked: string[] = [];
    for (const { schema, where, examples } of schemaHolders(doc)) {
      for (const example of examples) {
        expect(validateAgainst(schema, example, doc.components.schemas), `${where}: example`).toEqual([]);
        checked.push(where);
      }
      for (const [node, nodeWhere] of schemaNodes(schema, where)) {
        for (const example of ownExamples(node)) {
          expect(validateAgainst(node, example, doc.components.schemas), nodeWhere).toEqual([]);
          checked.push(nodeWhere);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(10);
  });

  it('describes every JSON or form request body as an object, never as one bare string', async () => {
    const doc = await servedDocument();
    const bodies = operationsOf(doc).flatMap(({ key, operation }) =>
      Object.entries(operation.requestBody?.content ?? {}).map(([type, media]) => ({ key, type, media })),
    );
    expect(bodies.length).toBeGreaterThan(0);
    for (const { key, type, media } of bodies) {
      const schema = (media.schema ?? {}) as JsonSchema;
      const resolved =
        typeof schema.$ref === 'string' ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema;
      expect(resolved?.type, `${key} ${type}`).toBe('object');
    }
  });

  it('gives every operation a unique camelCase operationId', async () => {
    const doc = await servedDocument();
    const operations = operationsOf(doc);
    const missing = operations.filter(({ operation }) => !operation.operationId).map(({ key }) => key);
    expect(missing, 'operations without an operationId').toEqual([]);
    const ids = operations.map(({ operation }) => operation.operationId as string);
    expect(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      'operationIds used twice',
    ).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
  });

  it('declares security: [] on the operations that take no bearer token, and the bearer on every other', async () => {
    const doc = await servedDocument();
    expect(doc.components.securitySchemes).toHaveProperty('adminToken');
    const operations = operationsOf(doc);
    for (const key of PUBLIC_OPERATIONS) {
      expect(
        operations.map((o) => o.key),
        key,
      ).toContain(key);
    }
    for (const { key, operation } of operations) {
      if (PUBLIC_OPERATIONS.includes(key)) expect(operation.security, key).toEqual([]);
      else expect(operation.security, key).toEqual([{ adminToken: [] }]);
    }
  });

  it('names a server, relative to where the document was fetched', async () => {
    const doc = await servedDocument();
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(doc.servers?.[0]?.url).toBe('/');
  });

  it('declares, with a description, exactly the tags its operations use', async () => {
    const doc = await servedDocument();
    const used = new Set(operationsOf(doc).flatMap(({ operation }) => operation.tags ?? []));
    expect(new Set(doc.tags?.map((tag) => tag.name))).toEqual(used);
    for (const tag of doc.tags ?? []) expect(tag.description, tag.name).toBeTruthy();
  });

  it('puts PUBLIC_URL, path prefix kept, ahead of the relative server when it is set', async () => {
    const response = await callWithEnv(
      '/openapi.json',
      { PUBLIC_URL: 'https://ops.example.test/webshare/?from=env' },
      { token: null },
    );
    const doc = (await response.json()) as OpenApiDocument;
    expect(doc.servers?.map((server) => server.url)).toEqual(['https://ops.example.test/webshare', '/']);
    expect(Object.keys(doc.paths)).toContain('/v1/status');
  });
});

describe('the document as a static asset (public/, outside the bundle)', () => {
  /** The real ASSETS binding, recording the paths read and answering 404 for the first `failFirst`. */
  function recordingAssets(failFirst = 0) {
    const reads: string[] = [];
    const assets = {
      fetch: async (input: RequestInfo | URL) => {
        reads.push(new URL(input instanceof Request ? input.url : input).pathname);
        if (reads.length <= failFirst) return new Response('not found', { status: 404 });
        return env.ASSETS.fetch(input);
      },
    } as Fetcher;
    return { assets, reads };
  }

  it('is answered by the worker itself: the committed document, as compact JSON', async () => {
    const response = await SELF.fetch(`${ORIGIN}/openapi.json`);
    expect(response.status).toBe(200);
    // The app's own headers, as on every other answer.
    expect(response.headers.get('X-Request-Id')).toMatch(/\S/);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(await response.text()).toBe(JSON.stringify(JSON.parse(committedDocument)));
  });

  it('reads the asset once per isolate, not on every request', async () => {
    const { assets, reads } = recordingAssets();
    for (let i = 0; i < 3; i++) {
      const response = await callWithEnv('/openapi.json', { ASSETS: assets }, { token: null });
      expect(await response.json()).toEqual(JSON.parse(committedDocument));
    }
    expect(reads).toEqual(['/openapi.json']);
  });

  it('answers 500 while the asset cannot be read, and reads it again on the next request', async () => {
    const { assets, reads } = recordingAssets(1);
    const failed = await callWithEnv('/openapi.json', { ASSETS: assets }, { token: null });
    expect(failed.status).toBe(500);
    const next = await callWithEnv('/openapi.json', { ASSETS: assets }, { token: null });
    expect(next.status).toBe(200);
    expect(reads).toEqual(['/openapi.json', '/openapi.json']);
  });

  it('and the /docs page are the only files in public/, which is uploaded whole as public assets', () => {
    const files = Object.keys(import.meta.glob(['../../public/**/*', '../../public/**/.*']));
    expect(files.sort()).toEqual(['../../public/docs.html', '../../public/openapi.json']);
  });
});

describe('the build of the document', () => {
  const recordedRoutes = () =>
    createApp().openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [d.route] : []));

  it('names every recorded route, in order', () => {
    const routes = recordedRoutes();
    expect(withOperationIds(routes).map((route) => `${route.method} ${route.path}`)).toEqual(
      routes.map((route) => `${route.method} ${route.path}`),
    );
  });

  it('refuses a route without an operationId, one without declared security, and a stale table entry', () => {
    const routes = recordedRoutes();
    const [first, ...rest] = routes;
    expect(() => withOperationIds([...routes, { ...first!, path: '/v1/new-thing' }])).toThrow(
      /\/v1\/new-thing: no operationId/,
    );
    expect(() => withOperationIds([{ ...first!, security: undefined }, ...rest])).toThrow(
      /declare its security/,
    );
    expect(() => withOperationIds(rest)).toThrow(/routes that do not exist: /);
  });
});

describe('the JSON Schema subset validator the document tests rely on', () => {
  const schemas: Record<string, JsonSchema> = {
    Thing: {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 2, pattern: '^[a-z]+$' },
        count: { type: ['integer', 'null'], minimum: 0 },
        kind: { type: 'string', enum: ['a', 'b'] },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
        at: { type: 'string', format: 'date-time' },
      },
      required: ['name'],
      additionalProperties: false,
    },
  };
  const thing = { $ref: '#/components/schemas/Thing' };

  it.each([
    ['a valid value', { name: 'ab', count: null, kind: 'a', tags: ['x'], at: '2030-01-02T03:04:05Z' }, []],
    ['a missing required property', {}, ['$: missing required name']],
    ['a pattern mismatch', { name: 'AB' }, ['$.name: "AB" does not match ^[a-z]+$']],
    ['a wrong type', { name: 'ab', count: 1.5 }, ['$.count: expected integer or null, got number']],
    ['a value outside the enum', { name: 'ab', kind: 'c' }, ['$.kind: "c" is not one of ["a","b"]']],
    ['an extra property', { name: 'ab', extra: 1 }, ['$.extra: not an allowed property']],
    ['too many items', { name: 'ab', tags: ['x', 'y', 'z'] }, ['$.tags: more than 2 items']],
    ['a malformed date-time', { name: 'ab', at: 'yesterday' }, ['$.at: not a date-time']],
  ])('reports %s', (_, value, problems) => {
    expect(validateAgainst(thing, value, schemas)).toEqual(problems);
  });

  it('refuses a keyword it does not check, rather than passing it silently', () => {
    expect(() => validateAgainst({ type: 'string', contentEncoding: 'base64' }, 'x', {})).toThrow(
      /contentEncoding/,
    );
  });
});

describe('the reset reason, whose pattern the document now spells without \\p{Cc}', () => {
  // Every C0 and C1 control, their neighbours, line separators, a lone surrogate and an astral character.
  const samples = [
    ...Array.from({ length: 0xa2 }, (_, code) => String.fromCharCode(code)),
    '\u2028',
    '\uD800',
    '🎉',
  ];

  it('refuses exactly the characters of Unicode category Cc, as /\\p{Cc}/u does', () => {
    for (const character of samples) {
      const refused = !ResetPasswordBody.safeParse({ reason: `a${character}b` }).success;
      expect(refused, `U+${character.codePointAt(0)?.toString(16)}`).toBe(/\p{Cc}/u.test(character));
    }
  });
});
