import type { z } from 'zod';
import {
  API_GROUP,
  API_VERSION,
  calendarSpecSchema,
  KIND,
  specSchema,
  type ScalingCalendarSpec,
  type ScalingScheduleSpec,
} from './schema.js';

export interface FieldError {
  field: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    prefix,
  );
}

function issuesToErrors(prefix: string, issues: z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => ({
    field: formatPath(prefix, issue.path),
    message:
      issue.code === 'unrecognized_keys'
        ? `unknown field(s): ${issue.keys.join(', ')}`
        : issue.message,
  }));
}

export function validateSpec(input: unknown): Validation<ScalingScheduleSpec> {
  const result = specSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: issuesToErrors('spec', result.error.issues) };
}

export function validateCalendarSpec(input: unknown): Validation<ScalingCalendarSpec> {
  const result = calendarSpecSchema.safeParse(input ?? {});
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: issuesToErrors('spec', result.error.issues) };
}

export interface ScheduleResource {
  name: string;
  namespace?: string;
  spec: ScalingScheduleSpec;
}

/** Validates a whole manifest (as read from a YAML file). */
export function validateResource(input: unknown): Validation<ScheduleResource> {
  const errors: FieldError[] = [];
  const doc = (input ?? {}) as Record<string, unknown>;
  if (typeof input !== 'object' || input === null) {
    return { ok: false, errors: [{ field: '(document)', message: 'expected a YAML mapping' }] };
  }
  if (doc.apiVersion !== `${API_GROUP}/${API_VERSION}`) {
    errors.push({ field: 'apiVersion', message: `expected ${API_GROUP}/${API_VERSION}` });
  }
  if (doc.kind !== KIND) errors.push({ field: 'kind', message: `expected ${KIND}` });
  const metadata = (doc.metadata ?? {}) as Record<string, unknown>;
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    errors.push({ field: 'metadata.name', message: 'required' });
  }
  const spec = validateSpec(doc.spec);
  if (!spec.ok) errors.push(...spec.errors);
  if (errors.length > 0 || !spec.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name: metadata.name as string,
      ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
      spec: spec.value,
    },
  };
}

export function describeErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('\n');
}
