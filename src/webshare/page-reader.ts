/** The page envelope both dialects' lists share, for the lists a tick reads (../lib/json-reader.ts). */
import { array, nullish, number, object, string, type Reader } from '../lib/json-reader';

/** Django REST Framework style page: `next` is an absolute URL or null (page-schema.ts in zod). */
export function pageReader<T>(item: Reader<T>) {
  return object({
    count: number,
    next: nullish(string),
    previous: nullish(string),
    results: array(item),
  });
}
