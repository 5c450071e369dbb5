import { z } from 'zod';

/**
 * An object schema that names every unknown key as its own field error (zod's own
 * `unrecognized_keys` issue carries no path, so the client would not learn which field is wrong).
 */
// TODO(kit): fieldErrors could expand `unrecognized_keys` into one entry per key for every service.
export function strictKeys<Shape extends z.ZodRawShape>(shape: Shape, noun = 'field') {
  return z.preprocess((value, ctx) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(shape, key)) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `Unknown ${noun} "${key}"`,
            input: value,
          });
        }
      }
    }
    return value;
  }, z.object(shape));
}
