/** The page envelope both dialects' lists share. */
import * as z from 'zod';

/** Django REST Framework style page: `next` is an absolute URL or null. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number(),
    next: z.string().nullish(),
    previous: z.string().nullish(),
    results: z.array(item),
  });
}
