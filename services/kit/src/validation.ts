import type { Request } from 'express';
import type { z } from 'zod';
import { validationFailed, type FieldError } from './errors.js';

/** Where the data came from; used as the field name when the whole value is wrong (e.g. body is not an object). */
export type DataLocation = 'body' | 'query' | 'params' | 'headers' | (string & {});

/**
 * Turns zod issues into `{ field, message }` entries; the field is the dotted path (`travellers.0.age`).
 * A strict object's `unrecognized_keys` issue sits on the object, not on the keys: it becomes one entry per
 * unknown key, so the client learns which field to remove.
 */
export function fieldErrors(
  issues: ReadonlyArray<z.core.$ZodIssue>,
  where: DataLocation,
): FieldError[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: fieldName([...issue.path, key], where),
          message: 'is not a known field',
        }))
      : [{ field: fieldName(issue.path, where), message: issue.message }],
  );
}

function fieldName(path: ReadonlyArray<PropertyKey>, where: DataLocation): string {
  // A key may be empty (`?=x`, `{"": 1}`): named `""` so that the field is never a blank string.
  return path.length > 0
    ? path.map((part) => (String(part) === '' ? '""' : String(part))).join('.')
    : where;
}

/** Parses `data` with `schema`; throws a 400 `validation-failed` problem listing every bad field. */
export function validate<Schema extends z.ZodType>(
  schema: Schema,
  data: unknown,
  where: DataLocation,
): z.output<Schema> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw validationFailed(fieldErrors(result.error.issues, where), `Invalid request ${where}.`);
}

export function parseBody<Schema extends z.ZodType>(
  req: Request,
  schema: Schema,
): z.output<Schema> {
  return validate(schema, req.body ?? {}, 'body');
}

export function parseQuery<Schema extends z.ZodType>(
  req: Request,
  schema: Schema,
): z.output<Schema> {
  return validate(schema, req.query, 'query');
}

export function parseParams<Schema extends z.ZodType>(
  req: Request,
  schema: Schema,
): z.output<Schema> {
  return validate(schema, req.params, 'params');
}
