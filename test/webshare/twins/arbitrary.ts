/**
 * JSON bodies for a zod schema, mostly of its shape and sometimes not: every field may be absent,
 * null, of the wrong type or extra, so that a reader held to the schema meets both its accepted and
 * its refused bodies (test/webshare/readers.test.ts).
 */
import fc from 'fast-check';
import type * as z from 'zod';

const ABSENT = Symbol('absent');

/** Any JSON value: what a wrong field is made of. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 6 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);

/** One field's value: of its shape (mostly), or any JSON value. */
function sometimesWrong(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 14, arbitrary: valid }, { weight: 1, arbitrary: anyJson });
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string>;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Values of the schema's shape, each nested field of which is sometimes wrong. */
export function bodyFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constant('2026-01-02T03:04:05Z'),
        fc.constant('203.0.113.9'),
      );
    case 'number':
      return fc.oneof(fc.integer({ min: 0, max: 10 ** 12 }), fc.double({ min: 0, max: 1e6, noNaN: true }));
    case 'boolean':
      return fc.boolean();
    case 'unknown':
      return anyJson;
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case 'nullable':
      return fc.oneof(fc.constant(null), bodyFor(def.innerType!));
    case 'optional':
      return bodyFor(def.innerType!);
    case 'pipe':
      return bodyFor(def.in!);
    case 'union':
      return fc.oneof(...def.options!.map(bodyFor));
    case 'array':
      return fc.array(sometimesWrong(bodyFor(def.element!)), { maxLength: 4 });
    case 'record':
      return fc.dictionary(
        fc.string({ minLength: 1, maxLength: 4 }),
        sometimesWrong(bodyFor(def.valueType!)),
        {
          maxKeys: 3,
        },
      );
    case 'object': {
      const fields = Object.entries(def.shape!).map(([key, field]) =>
        fc
          .oneof(
            { weight: 12, arbitrary: bodyFor(field) },
            { weight: 1, arbitrary: fc.constant(ABSENT) },
            {
              weight: 1,
              arbitrary: anyJson,
            },
          )
          .map((value) => [key, value] as const),
      );
      return fc
        .tuple(
          fc.tuple(...fields),
          fc.dictionary(fc.constantFrom('extra', 'surprise'), anyJson, { maxKeys: 1 }),
        )
        .map(([entries, extra]) => ({
          ...extra,
          ...Object.fromEntries(entries.filter(([, value]) => value !== ABSENT)),
        }));
    }
    default:
      throw new Error(`no body generator for a zod ${def.type}`);
  }
}

/** A body, or now and then something that is not an object at all. */
export function responseFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 20, arbitrary: bodyFor(schema) }, { weight: 1, arbitrary: anyJson });
}
