import fc from 'fast-check';
import type { Schema } from './openapi.js';

/**
 * A JSON value as the fuzzer sends it: plain JSON, plus number literals JSON.stringify cannot write
 * (`1e999` parses to Infinity, `-0`, 30-digit integers) kept as their text.
 */
export type Json = null | boolean | number | string | RawNumber | Json[] | { [key: string]: Json };

export class RawNumber {
  constructor(readonly text: string) {}
}

/** The JSON text of a value (raw numbers written as they are). */
export function toJsonText(value: Json): string {
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, child]) => `${JSON.stringify(key)}:${toJsonText(child)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Ids the platform knows (a real tour, the traveller, a booking): valid ids that reach the data. */
export interface KnownIds {
  uuids: readonly string[];
  /** The ids a field of this name takes (`tourId` → the tour), tried before any other. */
  byName?: Readonly<Record<string, readonly string[]>>;
}

// ---------------------------------------------------------------------------------------------
// Hostile scalars

/** Characters that break naive code: NUL and other C0/C1 controls, lone surrogates, BOM, RTL marks. */
const nastyChar = fc.oneof(
  { weight: 3, arbitrary: fc.constant('\u0000') },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)) },
  // Lone surrogates: not valid Unicode; JSON carries them as \udXXX escapes.
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '\ufeff',
      '\u202e',
      '\u2028',
      '\ufffd',
      '\uffff',
      '𝕏',
      '🎉',
      'é',
      'ﷺ',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("'", '"', '\\', '%', '_', '*', ';', '--', '/*', '$1', '{{', '<'),
  },
);

/** Any Unicode text, weighted towards the characters above. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.string({
      unit: fc.oneof(nastyChar, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
      maxLength: 40,
    }),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\t',
      'null',
      'undefined',
      'NaN',
      'Infinity',
      '-Infinity',
      '-0',
      '1e999',
      '0x10',
      ' 1 ',
      '1,5',
      'true',
      '[]',
      '{}',
      '__proto__',
      'constructor',
      '../../etc/passwd',
      '0000-00-00',
      '2026-02-30T25:61:61Z',
      '9999-12-31T23:59:59Z',
      '+275760-09-13T00:00:00.001Z',
    ),
  },
  // Long strings: past every maxLength, past Postgres' btree row limit (2704 bytes) for indexed text.
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('a', 'é', '\u0000', '𝕏', 'x '),
        fc.constantFrom(256, 2_001, 3_000, 9_000, 40_000),
      )
      .map(([unit, count]) => unit.repeat(count)),
  },
);

/** Numbers at the edges: huge, negative, fractional, NaN-like literals. */
export const hostileNumber: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    0,
    -1,
    -0.5,
    0.5,
    1.5,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    1e21,
    new RawNumber('-0'),
    new RawNumber('1e999'),
    new RawNumber('-1e999'),
    new RawNumber('123456789012345678901234567890'),
    new RawNumber('1E-400'),
    new RawNumber('1.0'),
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Nested arrays or objects, deep enough for naive recursion to notice (a value inside a value). */
export const deepJson: fc.Arbitrary<Json> = fc
  .tuple(fc.integer({ min: 30, max: 200 }), fc.boolean())
  .map(([depth, arrays]) => {
    let value: Json = 1;
    for (let i = 0; i < depth; i += 1) value = arrays ? [value] : { a: value };
    return value;
  });

/** The text of a very deeply nested JSON document (thousands of levels; built as text, not as a value). */
export const deepJsonText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1_000, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
      : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

/** A value of any type, for "wrong type" cases. */
export const anyJson: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: deepJson },
);

// ---------------------------------------------------------------------------------------------
// Values from a schema

function types(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

/** A value the schema accepts (as far as a generator can tell: patterns and formats included). */
export function validValue(schema: Schema, known: KnownIds, name?: string): fc.Arbitrary<Json> {
  if (schema.const !== undefined) return fc.constant(schema.const as Json);
  if (schema.examples && schema.examples.length > 0) {
    const examples = schema.examples as Json[];
    return fc.oneof(
      fc.constantFrom(...examples),
      validValue({ ...schema, examples: [] }, known, name),
    );
  }
  if (schema.enum) return fc.constantFrom(...(schema.enum as Json[]));
  if (schema.allOf) {
    const merged = schema.allOf.reduce<Schema>(
      (acc, part) => ({
        ...acc,
        ...part,
        properties: { ...acc.properties, ...part.properties },
        required: [...(acc.required ?? []), ...(part.required ?? [])],
      }),
      {},
    );
    return validValue(merged, known);
  }
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => validValue(s, known)));
  const options = types(schema).map((type) => validOfType(type, schema, known, name));
  return options.length === 0 ? anyJson : fc.oneof(...options);
}

function validOfType(
  type: string,
  schema: Schema,
  known: KnownIds,
  name: string | undefined,
): fc.Arbitrary<Json> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -1_000_000, -1_000_000),
        max: Math.min(schema.maximum ?? 1_000_000, 1_000_000),
      });
    case 'number':
      return fc.double({
        min: Math.max(schema.minimum ?? -1e6, -1e6),
        max: Math.min(schema.maximum ?? 1e6, 1e6),
        noNaN: true,
      });
    case 'string':
      return validString(schema, known, name);
    case 'array':
      return fc.array(schema.items ? validValue(schema.items, known) : anyJson, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'object':
      return validObject(schema, known);
    default:
      return anyJson;
  }
}

/**
 * Values the documents describe only in words (a country code is "two letters" by its pattern, but
 * only real ones pass; search dates are "YYYY-MM-DD or date-time"): known by their name.
 */
const COUNTRIES = fc.constantFrom('FR', 'DE', 'ES', 'IT', 'GB', 'US', 'fr', ' de ');
const DAY = fc
  .date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const HINTS: Record<string, fc.Arbitrary<string>> = {
  country: COUNTRIES,
  from: DAY,
  to: DAY,
  until: DAY,
};

function validString(schema: Schema, known: KnownIds, name?: string): fc.Arbitrary<string> {
  const hint = name === undefined ? undefined : HINTS[name];
  if (hint && !schema.format)
    return hint.filter((v) => !schema.pattern || new RegExp(schema.pattern).test(v));
  switch (schema.format) {
    case 'uuid':
      return fc.oneof(
        ...[name === undefined ? undefined : known.byName?.[name], known.uuids]
          .filter((ids): ids is readonly string[] => ids !== undefined && ids.length > 0)
          .map((ids) => ({ weight: 2, arbitrary: fc.constantFrom(...ids) })),
        { weight: 1, arbitrary: fc.uuid() },
      );
    case 'date-time':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'email':
      // Plain addresses every validator accepts (fc.emailAddress's RFC corner cases are refused by
      // zod's stricter check, and would rarely let a case get any further).
      return fc
        .tuple(
          fc.stringMatching(/^[a-z0-9]{1,12}$/),
          fc.constantFrom('example.test', 'tourkit.dev'),
        )
        .map(([local, domain]) => `${local}@${domain}`);
  }
  if (schema.pattern) {
    const maxLength = schema.maxLength;
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((s) => maxLength === undefined || s.length <= maxLength);
  }
  return fc.string({
    unit: 'grapheme',
    minLength: schema.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? 30, 30),
  });
}

function validObject(schema: Schema, known: KnownIds): fc.Arbitrary<Json> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(properties).map(
    ([key, child]) => [key, validValue(child, known, key)] as const,
  );
  return fc.record(Object.fromEntries(entries), {
    requiredKeys: [...required].filter((key) => key in properties),
  }) as fc.Arbitrary<Json>;
}

/**
 * A value for a place typed by `schema`: mostly valid, else hostile of the right type, of a wrong
 * type, wrapped in an array ("arrays for scalars"), or an object whose fields are fuzzed the same way
 * (with unknown and prototype-polluting keys).
 */
export function fuzzValue(schema: Schema, known: KnownIds, depth = 0): fc.Arbitrary<Json> {
  const kinds = types(schema);
  const valid = validValue(schema, known);
  const sameType: fc.Arbitrary<Json>[] = [];
  if (kinds.includes('string')) sameType.push(hostileString);
  if (kinds.includes('integer') || kinds.includes('number')) sameType.push(hostileNumber);
  if (kinds.includes('object') && depth < 3) sameType.push(fuzzObject(schema, known, depth));
  if (kinds.includes('array') && schema.items && depth < 3) {
    sameType.push(fc.array(fuzzValue(schema.items, known, depth + 1), { maxLength: 5 }));
    sameType.push(fc.array(validValue(schema.items, known), { minLength: 101, maxLength: 120 }));
  }
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    ...sameType.map((arbitrary) => ({ weight: 3, arbitrary })),
    { weight: 2, arbitrary: anyJson },
    { weight: 1, arbitrary: fc.array(valid, { minLength: 0, maxLength: 3 }) as fc.Arbitrary<Json> },
  );
}

function fuzzObject(schema: Schema, known: KnownIds, depth: number): fc.Arbitrary<Json> {
  const properties = Object.entries(schema.properties ?? {});
  const fields = properties.map(([key, child]) =>
    fc
      .option(fuzzValue(child, known, depth + 1), { nil: undefined, freq: 5 })
      .map((value) => [key, value] as const),
  );
  const extra = fc.array(
    fc.tuple(
      fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype')),
      anyJson,
    ),
    { maxLength: 2 },
  );
  return fc.tuple(fc.tuple(...fields), extra).map(([chosen, more]) => {
    const object: Record<string, Json> = {};
    for (const [key, value] of chosen) if (value !== undefined) object[key] = value;
    for (const [key, value] of more) {
      // A JSON text may carry "__proto__" as a plain key; define it so toJsonText writes it.
      Object.defineProperty(object, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return object;
  });
}

// ---------------------------------------------------------------------------------------------
// Text for URLs

/** Percent-encodes the UTF-8 of `text` (lone surrogates become U+FFFD, as any client would send). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(c)
        ? c
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** Broken escapes and raw bytes a URL may carry: `%`, `%zz`, overlong and surrogate UTF-8, latin-1. */
export const badUrlText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '%',
        '%zz',
        '%FF',
        '%C0%80',
        '%ED%A0%80',
        '%E2%82',
        '%00',
        '%F4%90%80%80',
        '+',
        '%2B',
      ),
      fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
      fc.string({ unit: 'grapheme-ascii', maxLength: 4 }).map(percentEncode),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** A scalar written for a URL: a valid value's text, a hostile one, or broken escapes. */
export function urlValue(schema: Schema, known: KnownIds, name?: string): fc.Arbitrary<string> {
  const asText = (value: Json): string =>
    typeof value === 'string' ? value : value instanceof RawNumber ? value.text : toJsonText(value);
  return fc.oneof(
    { weight: 5, arbitrary: validValue(schema, known, name).map((v) => percentEncode(asText(v))) },
    { weight: 3, arbitrary: hostileString.map(percentEncode) },
    { weight: 1, arbitrary: hostileNumber.map((v) => percentEncode(asText(v))) },
    { weight: 2, arbitrary: badUrlText },
  );
}
