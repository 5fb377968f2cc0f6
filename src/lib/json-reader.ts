/**
 * Readers of parsed JSON: the few checks of zod's that the cron tick's Webshare answers need, written
 * as plain functions. A fresh isolate woken by the cron would otherwise load zod and build its schemas
 * before its first tick, the largest part of that tick's CPU (docs/performance.md, "The cold tick");
 * everything else in the worker keeps zod.
 *
 * The readers answer exactly as the zod schemas they replace (test/webshare/readers.test.ts holds each
 * reader to its zod twin, over thousands of generated bodies): unknown keys are dropped, an absent
 * key stays absent, a transform runs only on a value that passed, and a failure lists the path of
 * every refused field, never its value, in the `safeParse` shape the transport takes.
 */

export interface ReadIssue {
  path: PropertyKey[];
}

/** Where a reader is: the path to the value it reads (pushed and popped, copied only for an issue). */
export interface ReadContext {
  path: PropertyKey[];
  issues: ReadIssue[];
}

/** Reads one value; records an issue (and answers anything) when it is refused. */
export type Reader<T> = (value: unknown, at: ReadContext) => T;

export type ReadOutput<R> = R extends Reader<infer T> ? T : never;

export type ReadResult<T> =
  { success: true; data: T } | { success: false; error: { issues: readonly ReadIssue[] } };

function refuse(at: ReadContext): undefined {
  at.issues.push({ path: at.path.slice() });
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const string: Reader<string> = (value, at) =>
  typeof value === 'string' ? value : (refuse(at) as never);

export const number: Reader<number> = (value, at) =>
  typeof value === 'number' && Number.isFinite(value) ? value : (refuse(at) as never);

export const boolean: Reader<boolean> = (value, at) =>
  typeof value === 'boolean' ? value : (refuse(at) as never);

/** zod's `.nullish()`: null and undefined pass as they are. */
export function nullish<T>(read: Reader<T>): Reader<T | null | undefined> {
  return (value, at) => (value === undefined || value === null ? value : read(value, at));
}

/** zod's `.nullable()`: null passes; undefined does not. */
export function nullable<T>(read: Reader<T>): Reader<T | null> {
  return (value, at) => (value === null ? null : read(value, at));
}

/** zod's `.transform(fn)`: `fn` sees only a value its reader accepted. */
export function map<T, U>(read: Reader<T>, fn: (value: T) => U): Reader<U> {
  return (value, at) => {
    const before = at.issues.length;
    const accepted = read(value, at);
    return at.issues.length === before ? fn(accepted) : (undefined as never);
  };
}

/** zod's `z.array(item)`. */
export function array<T>(item: Reader<T>): Reader<T[]> {
  return (value, at) => {
    if (!Array.isArray(value)) return refuse(at) as never;
    const out: T[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      at.path.push(i);
      out[i] = item(value[i], at);
      at.path.pop();
    }
    return out;
  };
}

/** zod's `z.record(z.string(), value)`: a plain object whose every value `value` accepts. */
export function record<T>(item: Reader<T>): Reader<Record<string, T>> {
  return (value, at) => {
    if (!isRecord(value)) return refuse(at) as never;
    const out: Record<string, T> = {};
    for (const key of Object.keys(value)) {
      at.path.push(key);
      out[key] = item(value[key], at);
      at.path.pop();
    }
    return out;
  };
}

type Shape = Record<string, Reader<unknown>>;
export type ObjectOutput<S extends Shape> = { [K in keyof S]: ReadOutput<S[K]> };

/**
 * zod's `z.object(shape)`: the shape's keys only, each read even when absent (so a reader may default
 * it); a key absent from the input and read as undefined stays absent, as in zod.
 */
export function object<S extends Shape>(shape: S): Reader<ObjectOutput<S>> {
  const keys = Object.keys(shape);
  return (value, at) => {
    if (!isRecord(value)) return refuse(at) as never;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      at.path.push(key);
      const read = shape[key]!(value[key], at);
      at.path.pop();
      if (read !== undefined || key in value) out[key] = read;
    }
    return out as ObjectOutput<S>;
  };
}

/** zod's `.partial()` of an object: every key may also be absent. */
export function partial<S extends Shape>(shape: S): { [K in keyof S]: Reader<ReadOutput<S[K]> | undefined> } {
  const out: Record<string, Reader<unknown>> = {};
  for (const [key, read] of Object.entries(shape)) {
    out[key] = (value, at) => (value === undefined ? undefined : read(value, at));
  }
  return out as { [K in keyof S]: Reader<ReadOutput<S[K]> | undefined> };
}

/** The `safeParse` of a reader, the shape the Webshare transport takes (as it takes a zod schema's). */
export function parser<T>(read: Reader<T>): { safeParse(json: unknown): ReadResult<T> } {
  return {
    safeParse(json) {
      const at: ReadContext = { path: [], issues: [] };
      const data = read(json, at);
      return at.issues.length === 0
        ? { success: true, data }
        : { success: false, error: { issues: at.issues } };
    },
  };
}
