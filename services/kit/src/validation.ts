import type { Request } from 'express';
import type { z } from 'zod';
import { validationFailed, type FieldError } from './errors.js';

/** Where the data came from; used as the field name when the whole value is wrong (e.g. body is not an object). */
export type DataLocation = 'body' | 'query' | 'params' | 'headers' | (string & {});

/** Turns zod issues into `{ field, message }` entries; the field is the dotted path (`travellers.0.age`). */
export function fieldErrors(
  issues: ReadonlyArray<z.core.$ZodIssue>,
  where: DataLocation,
): FieldError[] {
  return issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : where,
    message: issue.message,
  }));
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
