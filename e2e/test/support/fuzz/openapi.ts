import { parse } from 'yaml';

/** The part of JSON Schema (as OpenAPI 3.1 uses it) the fuzzer reads; anything else is ignored. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  examples?: unknown[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

/** One operation the gateway routes, with everything resolved ($refs inlined). */
export interface Operation {
  /** The service whose document declares it. */
  service: string;
  method: string;
  /** The OpenAPI path template, e.g. `/v1/tours/{id}`. */
  path: string;
  /** `METHOD /path` — how the fuzzer names it in its report. */
  name: string;
  parameters: Parameter[];
  /** The JSON request body's schema, when the operation takes one. */
  body?: Schema;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/**
 * The public operations of one OpenAPI document: every `/v1/...` path (what the gateway forwards;
 * `/internal/*` and the probes are not reachable through it), path-level parameters merged in,
 * local `$ref`s resolved.
 */
export function publicOperations(service: string, yamlText: string): Operation[] {
  const document = parse(yamlText) as {
    paths?: Record<string, Record<string, unknown>>;
  };
  const resolve = resolver(document);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!path.startsWith('/v1/')) continue;
    const shared = ((item.parameters as unknown[]) ?? []).map(
      (p) => resolve(p) as Record<string, unknown>,
    );
    for (const method of METHODS) {
      const raw = item[method] as Record<string, unknown> | undefined;
      if (!raw) continue;
      const own = ((raw.parameters as unknown[]) ?? []).map(
        (p) => resolve(p) as Record<string, unknown>,
      );
      const byKey = new Map<string, Record<string, unknown>>();
      for (const p of [...shared, ...own]) byKey.set(`${String(p.in)}:${String(p.name)}`, p);
      const parameters: Parameter[] = [...byKey.values()].map((p) => ({
        name: String(p.name),
        in: p.in as Parameter['in'],
        required: p.required === true || p.in === 'path',
        schema: resolveSchema(resolve, (p.schema as Schema | undefined) ?? { type: 'string' }),
      }));
      const requestBody = raw.requestBody
        ? (resolve(raw.requestBody) as Record<string, unknown>)
        : undefined;
      const content = requestBody?.content as Record<string, { schema?: Schema }> | undefined;
      const jsonSchema = content?.['application/json']?.schema;
      operations.push({
        service,
        method: method.toUpperCase(),
        path,
        name: `${method.toUpperCase()} ${path}`,
        parameters,
        ...(jsonSchema ? { body: resolveSchema(resolve, jsonSchema) } : {}),
      });
    }
  }
  return operations;
}

type Resolve = (value: unknown) => unknown;

function resolver(document: unknown): Resolve {
  const lookup = (ref: string): unknown => {
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
    return ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], document);
  };
  const resolve: Resolve = (value) => {
    let current = value;
    const seen = new Set<string>();
    while (current && typeof current === 'object' && '$ref' in current) {
      const ref = String((current as { $ref: unknown }).$ref);
      if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
      seen.add(ref);
      current = lookup(ref);
    }
    return current;
  };
  return resolve;
}

/** Inlines every $ref of a schema (the services' request schemas are not recursive). */
function resolveSchema(resolve: Resolve, schema: Schema, depth = 0): Schema {
  if (depth > 20) throw new Error('schema nesting too deep (a recursive $ref?)');
  const s = resolve(schema) as Schema;
  const next = (child: Schema) => resolveSchema(resolve, child, depth + 1);
  return {
    ...s,
    ...(s.items ? { items: next(s.items) } : {}),
    ...(s.properties
      ? {
          properties: Object.fromEntries(
            Object.entries(s.properties).map(([key, child]) => [key, next(child)]),
          ),
        }
      : {}),
    ...(typeof s.additionalProperties === 'object'
      ? { additionalProperties: next(s.additionalProperties) }
      : {}),
    ...(s.oneOf ? { oneOf: s.oneOf.map(next) } : {}),
    ...(s.anyOf ? { anyOf: s.anyOf.map(next) } : {}),
    ...(s.allOf ? { allOf: s.allOf.map(next) } : {}),
  };
}
