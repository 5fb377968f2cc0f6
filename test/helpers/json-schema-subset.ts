/**
 * A small JSON Schema (2020-12, as OpenAPI 3.1 uses it) validator for the keywords our OpenAPI
 * document uses, so tests can check the document's examples against its schemas without a
 * dependency (ajv compiles validators with `new Function`, which workerd forbids).
 *
 * Covered: $ref (to #/components/schemas), type (one or a list), enum, const, properties, required,
 * additionalProperties, items, minItems/maxItems, minLength/maxLength, pattern (with the `u` flag, as
 * ECMA-262 validators compile it), minimum/maximum/exclusiveMinimum/exclusiveMaximum, format
 * date-time, allOf/anyOf/oneOf/not, and OpenAPI 3.0's `nullable`. A keyword outside the list fails
 * loudly, so the document cannot grow past what its tests check.
 */

export type JsonSchema = Record<string, unknown>;

const ANNOTATIONS = new Set(['description', 'example', 'examples', 'default', 'title', 'deprecated']);
const CHECKED = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'format',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'nullable',
]);
// RFC 3339 date-time, as JSON Schema's `format: date-time` means it (checked loosely: the shape).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/**
 * The problems of `value` against `schema`, each as "path: what is wrong"; empty when it validates.
 * `schemas` resolves `$ref`s to `#/components/schemas/<name>`.
 */
export function validateAgainst(
  schema: JsonSchema,
  value: unknown,
  schemas: Record<string, JsonSchema>,
  path = '$',
): string[] {
  const problems: string[] = [];
  const fail = (message: string) => problems.push(`${path}: ${message}`);
  const unknown = Object.keys(schema).filter((k) => !CHECKED.has(k) && !ANNOTATIONS.has(k));
  if (unknown.length > 0) throw new Error(`${path}: keywords this validator does not know: ${unknown}`);

  if (typeof schema.$ref === 'string') {
    const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name === undefined ? undefined : schemas[name];
    if (!target) throw new Error(`${path}: unresolved $ref ${schema.$ref}`);
    problems.push(...validateAgainst(target, value, schemas, path));
  }
  if (schema.type !== undefined) {
    const types = [schema.type].flat() as string[];
    if (schema.nullable === true) types.push('null');
    if (!types.some((type) => matchesType(value, type)))
      fail(`expected ${types.join(' or ')}, got ${typeOf(value)}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => deepEqual(option, value))) {
    fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if ('const' in schema && !deepEqual(schema.const, value)) fail(`expected ${JSON.stringify(schema.const)}`);

  if (typeof value === 'string') problems.push(...stringProblems(schema, value, path));
  if (typeof value === 'number') problems.push(...numberProblems(schema, value, path));
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      fail(`fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      fail(`more than ${schema.maxItems} items`);
    if (schema.items && typeof schema.items === 'object') {
      value.forEach((item, i) =>
        problems.push(...validateAgainst(schema.items as JsonSchema, item, schemas, `${path}[${i}]`)),
      );
    }
  }
  if (typeOf(value) === 'object')
    problems.push(...objectProblems(schema, value as Record<string, unknown>, schemas, path));

  for (const part of (schema.allOf as JsonSchema[] | undefined) ?? []) {
    problems.push(...validateAgainst(part, value, schemas, path));
  }
  const passing = (options: JsonSchema[]) =>
    options.filter((option) => validateAgainst(option, value, schemas, path).length === 0).length;
  if (Array.isArray(schema.anyOf) && passing(schema.anyOf) === 0) fail('matches none of anyOf');
  if (Array.isArray(schema.oneOf) && passing(schema.oneOf) !== 1) fail('does not match exactly one of oneOf');
  if (schema.not && validateAgainst(schema.not as JsonSchema, value, schemas, path).length === 0) {
    fail('matches the schema under not');
  }
  return problems;
}

function stringProblems(schema: JsonSchema, value: string, path: string): string[] {
  const problems: string[] = [];
  // JSON Schema counts characters (code points), not UTF-16 units.
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength)
    problems.push(`${path}: shorter than ${schema.minLength}`);
  if (typeof schema.maxLength === 'number' && length > schema.maxLength)
    problems.push(`${path}: longer than ${schema.maxLength}`);
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
  if (schema.format === 'date-time' && !DATE_TIME.test(value)) problems.push(`${path}: not a date-time`);
  return problems;
}

function numberProblems(schema: JsonSchema, value: number, path: string): string[] {
  const bound = (keyword: string, broken: (limit: number) => boolean) =>
    typeof schema[keyword] === 'number' && broken(schema[keyword])
      ? [`${path}: breaks ${keyword} ${schema[keyword]}`]
      : [];
  return [
    ...bound('minimum', (limit) => value < limit),
    ...bound('maximum', (limit) => value > limit),
    ...bound('exclusiveMinimum', (limit) => value <= limit),
    ...bound('exclusiveMaximum', (limit) => value >= limit),
  ];
}

function objectProblems(
  schema: JsonSchema,
  value: Record<string, unknown>,
  schemas: Record<string, JsonSchema>,
  path: string,
): string[] {
  const problems: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of (schema.required as string[] | undefined) ?? []) {
    if (!(name in value)) problems.push(`${path}: missing required ${name}`);
  }
  for (const [name, item] of Object.entries(value)) {
    const where = `${path}.${name}`;
    if (properties[name]) problems.push(...validateAgainst(properties[name], item, schemas, where));
    else if (schema.additionalProperties === false) problems.push(`${where}: not an allowed property`);
    else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      problems.push(...validateAgainst(schema.additionalProperties as JsonSchema, item, schemas, where));
    }
  }
  return problems;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
