import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import type { Operation, Parameter, Schema } from './openapi.js';
import {
  anyJson,
  badUrlText,
  deepJsonText,
  fuzzValue,
  hostileNumber,
  hostileString,
  percentEncode,
  toJsonText,
  urlValue,
  validValue,
  type Json,
  type KnownIds,
} from './values.js';

/** One generated request, as sent (the body as bytes, so invalid UTF-8 survives). */
export interface FuzzRequest {
  method: string;
  /** Path and query exactly as written on the request line. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What the body is, for the report ("json", "truncated", "content-type text/plain", …). */
  bodyKind: string;
  auth: 'none' | 'valid' | 'invalid';
}

export interface FuzzResponse {
  status: number;
  contentType: string;
  text: string;
}

export interface Credentials {
  /** A valid access token of a traveller signed up through the gateway. */
  token: string;
}

// ---------------------------------------------------------------------------------------------
// Generating

/** Header text Node can send: printable ASCII, latin-1 bytes and tabs (never CR, LF or NUL). */
const headerText: fc.Arbitrary<string> = fc
  .string({
    unit: fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
      fc.constant('\t'),
    ),
    maxLength: 300,
  })
  .map((s) => s.trim());

const INVALID_AUTHORIZATION = fc.oneof(
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Bearer x.y.z',
    'Basic dXNlcjpwYXNz',
    'Bearer eyJhbGciOiJub25lIn0.e30.',
    'bearer  a b',
  ),
  headerText.map((t) => `Bearer ${t}`),
);

/** Content types a client may send with a body the service expects as JSON. */
const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=klingon',
  'application/json; charset=latin1',
  'application/merge-patch+json',
  'application/xml',
  '*/*',
  '',
];

/** The body of one request, from the operation's schema when it has one. */
function bodyArbitrary(schema: Schema | undefined, known: KnownIds) {
  const shaped: fc.Arbitrary<Json> = schema ? fuzzValue(schema, known) : anyJson;
  const validText = (schema ? validValue(schema, known) : anyJson).map(toJsonText);
  const json = (kind: string, text: fc.Arbitrary<string>) =>
    text.map((t) => ({ kind, contentType: 'application/json', bytes: Buffer.from(t, 'utf8') }));
  return fc.oneof(
    { weight: 10, arbitrary: json('json', shaped.map(toJsonText)) },
    { weight: 2, arbitrary: json('json-any', anyJson.map(toJsonText)) },
    { weight: 1, arbitrary: json('deep-nesting', deepJsonText) },
    {
      weight: 2,
      arbitrary: json(
        'truncated',
        fc
          .tuple(validText, fc.nat())
          .filter(([text]) => text.length > 1)
          .map(([text, cut]) => text.slice(0, cut % text.length)),
      ),
    },
    {
      weight: 1,
      arbitrary: json(
        'top-level scalar',
        fc.constantFrom('', 'null', '0', '""', 'true', '[]', '[[]]', '{}', ' ', '\ufeff{}'),
      ),
    },
    {
      weight: 2,
      // Invalid UTF-8 inside a JSON string (lone continuation bytes, overlong forms, encoded surrogates).
      arbitrary: fc
        .tuple(
          validText,
          fc.uint8Array({ minLength: 1, maxLength: 8 }),
          fc.constantFrom(
            Buffer.from([0xff]),
            Buffer.from([0xc0, 0x80]),
            Buffer.from([0xed, 0xa0, 0x80]),
            Buffer.from([0xe2, 0x82]),
            Buffer.from([0x80]),
          ),
        )
        .map(([text, random, bad]) => ({
          kind: 'invalid-utf8',
          contentType: 'application/json',
          bytes: spliceIntoFirstString(text, Buffer.concat([bad, Buffer.from(random)])),
        })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...WRONG_CONTENT_TYPES), validText)
        .map(([contentType, text]) => ({
          kind: `content-type ${contentType || '(none)'}`,
          contentType,
          bytes: Buffer.from(
            contentType.startsWith('application/x-www') ? 'a=1&b[c]=2&b=3' : text,
            'utf8',
          ),
        })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown').chain((encoding) =>
        validText.map((text) => ({
          kind: `content-encoding ${encoding}`,
          contentType: 'application/json',
          contentEncoding: encoding,
          bytes: Buffer.from(text, 'utf8'),
        })),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        kind: 'oversized',
        contentType: 'application/json',
        bytes: Buffer.from(JSON.stringify({ pad: 'x'.repeat(200_000) }), 'utf8'),
      }),
    },
  );
}

function spliceIntoFirstString(text: string, bytes: Buffer): Buffer {
  const quote = text.indexOf('"');
  if (quote < 0) return Buffer.concat([Buffer.from('"', 'utf8'), bytes, Buffer.from('"', 'utf8')]);
  const at = Buffer.byteLength(text.slice(0, quote + 1), 'utf8');
  const whole = Buffer.from(text, 'utf8');
  return Buffer.concat([whole.subarray(0, at), bytes, whole.subarray(at)]);
}

function queryArbitrary(parameters: Parameter[], known: KnownIds): fc.Arbitrary<string> {
  const declared = parameters.filter((p) => p.in === 'query');
  const pairs = declared.map((p) =>
    fc
      .oneof(
        { weight: 3, arbitrary: fc.constant([] as string[]) },
        { weight: 6, arbitrary: urlValue(p.schema, known, p.name).map((v) => [v]) },
        // The same key twice: an array where a scalar is expected.
        {
          weight: 1,
          arbitrary: fc.array(urlValue(p.schema, known, p.name), { minLength: 2, maxLength: 3 }),
        },
      )
      .map((values) => values.map((v) => `${percentEncode(p.name)}=${v}`)),
  );
  const extra = fc.array(
    fc.oneof(
      fc
        .tuple(hostileString, hostileString)
        .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`),
      badUrlText,
      fc.constantFrom('a[b][c]=1', 'a[]=1&a[]=2', '__proto__[x]=1', '&&', '=', 'x'),
    ),
    { maxLength: 2 },
  );
  return fc.tuple(fc.tuple(...pairs), extra).map(([chosen, more]) => {
    const parts = [...chosen.flat(), ...more];
    return parts.length === 0 ? '' : `?${parts.join('&')}`;
  });
}

function pathArbitrary(operation: Operation, known: KnownIds): fc.Arbitrary<string> {
  const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const values = names.map((name) => {
    const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name);
    return urlValue(parameter?.schema ?? { type: 'string' }, known, name);
  });
  return fc.tuple(...values).map((chosen) =>
    names.reduce(
      // A value may be empty: the path then has an empty segment (a different route, or a 404).
      (path, name, i) => path.replace(`{${name}}`, chosen[i]!),
      operation.path,
    ),
  );
}

function headerArbitrary(parameters: Parameter[], known: KnownIds) {
  const declared = parameters.filter((p) => p.in === 'header');
  const values = declared.map((p) =>
    fc
      .oneof(
        { weight: 1, arbitrary: fc.constant(undefined) },
        {
          weight: 4,
          arbitrary: validValue(p.schema, known).map((v) =>
            typeof v === 'string' ? v : toJsonText(v),
          ),
        },
        { weight: 2, arbitrary: headerText },
      )
      .map((value) => [p.name.toLowerCase(), value] as const),
  );
  const tracing = fc.record(
    { 'x-request-id': headerText, traceparent: headerText, 'accept-language': headerText },
    { requiredKeys: [] },
  );
  return fc.tuple(fc.tuple(...values), tracing).map(([chosen, extra]) => {
    const headers: Record<string, string> = { ...extra };
    for (const [name, value] of chosen) if (value !== undefined) headers[name] = value;
    // Node cannot send a header value with characters outside latin-1 or with controls.
    for (const [name, value] of Object.entries(headers))
      if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(value)) delete headers[name];
    return headers;
  });
}

interface Parts {
  auth: FuzzRequest['auth'];
  invalidAuthorization: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: { kind: string; contentType: string; contentEncoding?: string; bytes: Buffer } | undefined;
}

/**
 * A request valid by the schema except, when `oneBad`, for one query parameter or one body field:
 * the shape that gets past every other check and carries a hostile value into the data layer.
 */
function nearlyValidParts(
  operation: Operation,
  known: KnownIds,
  oneBad: boolean,
): fc.Arbitrary<Parts> {
  const text = (schema: Schema, name?: string) =>
    validValue(schema, known, name).map((v) => (typeof v === 'string' ? v : toJsonText(v)));
  const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const path = fc
    .tuple(
      ...names.map((name) =>
        text(
          operation.parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? {},
          name,
        ),
      ),
    )
    .map((values) =>
      names.reduce(
        (acc, name, i) => acc.replace(`{${name}}`, percentEncode(values[i]!)),
        operation.path,
      ),
    );
  const queryParameters = operation.parameters.filter((p) => p.in === 'query');
  const validPairs = fc.tuple(
    ...queryParameters.map((p) =>
      fc.option(
        text(p.schema, p.name).map((v) => [p.name, percentEncode(v)] as [string, string]),
        { nil: undefined },
      ),
    ),
  );
  const bodyProperties = Object.keys(operation.body?.properties ?? {});
  // Where the one bad value goes: a query parameter or a body field.
  const targets = [
    ...queryParameters.map((p) => ({ in: 'query' as const, name: p.name, schema: p.schema })),
    ...bodyProperties.map((name) => ({
      in: 'body' as const,
      name,
      schema: operation.body!.properties![name]!,
    })),
  ];
  const bad =
    oneBad && targets.length > 0
      ? fc
          .constantFrom(...targets)
          .chain((target) =>
            (target.in === 'query'
              ? urlValue({ type: 'string' }, known)
              : fc.oneof(hostileString as fc.Arbitrary<Json>, hostileNumber, anyJson)
            ).map((value) => ({ ...target, value })),
          )
      : fc.constant(undefined);
  const headers = fc
    .tuple(
      ...operation.parameters
        .filter((p) => p.in === 'header')
        .map((p) => text(p.schema).map((v) => [p.name.toLowerCase(), v] as const)),
    )
    .map((pairs) =>
      Object.fromEntries(pairs.filter(([, v]) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v))),
    );
  const body = operation.body ? validValue(operation.body, known) : fc.constant(undefined);
  return fc
    .record({
      auth: fc.constantFrom('valid', 'valid', 'none') as fc.Arbitrary<FuzzRequest['auth']>,
      path,
      pairs: validPairs,
      headers,
      body,
      bad,
    })
    .map(({ auth, path, pairs, headers, body, bad }) => {
      const query = new Map(pairs.filter((pair) => pair !== undefined));
      let json = body;
      if (bad?.in === 'query') query.set(bad.name, bad.value as string);
      if (bad?.in === 'body' && json && typeof json === 'object' && !Array.isArray(json))
        json = { ...(json as Record<string, Json>), [bad.name]: bad.value as Json };
      const search = [...query].map(([k, v]) => `${percentEncode(k)}=${v}`).join('&');
      return {
        auth,
        invalidAuthorization: '',
        path,
        query: search === '' ? '' : `?${search}`,
        headers,
        body:
          json === undefined
            ? undefined
            : {
                kind: bad ? `json, bad ${bad.in} ${bad.name}` : 'valid-json',
                contentType: 'application/json',
                bytes: Buffer.from(toJsonText(json), 'utf8'),
              },
      };
    });
}

/** A request with hostile parts anywhere: path, query, headers, token, body and its framing. */
function fuzzedParts(operation: Operation, known: KnownIds): fc.Arbitrary<Parts> {
  const takesBody = operation.body !== undefined;
  return fc.record({
    auth: fc.constantFrom('none', 'valid', 'invalid') as fc.Arbitrary<FuzzRequest['auth']>,
    invalidAuthorization: INVALID_AUTHORIZATION,
    path: pathArbitrary(operation, known),
    query: queryArbitrary(operation.parameters, known),
    headers: headerArbitrary(operation.parameters, known),
    // Operations without a body get one now and then (a GET with a JSON body must not hurt either).
    body: fc.oneof(
      { weight: takesBody ? 1 : 6, arbitrary: fc.constant(undefined) },
      { weight: takesBody ? 9 : 1, arbitrary: bodyArbitrary(operation.body, known) },
    ),
  }) as fc.Arbitrary<Parts>;
}

/**
 * Every request the fuzzer may send for one operation: one in six valid, two in six valid but for one
 * hostile value, the rest hostile anywhere.
 */
export function requestArbitrary(
  operation: Operation,
  known: KnownIds,
  credentials: Credentials,
): fc.Arbitrary<FuzzRequest> {
  return fc
    .oneof(
      { weight: 1, arbitrary: nearlyValidParts(operation, known, false) },
      { weight: 2, arbitrary: nearlyValidParts(operation, known, true) },
      { weight: 3, arbitrary: fuzzedParts(operation, known) },
    )
    .map(({ auth, invalidAuthorization, path, query, headers, body }) => {
      const all: Record<string, string> = { ...headers };
      if (auth === 'valid') all.authorization = `Bearer ${credentials.token}`;
      if (auth === 'invalid') all.authorization = invalidAuthorization;
      if (body) {
        if (body.contentType) all['content-type'] = body.contentType;
        if (body.contentEncoding) all['content-encoding'] = body.contentEncoding;
      }
      return {
        method: operation.method,
        target: `${path}${query}`,
        headers: all,
        ...(body ? { body: body.bytes } : {}),
        bodyKind: body ? body.kind : 'none',
        auth,
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Sending and judging

const REQUEST_TIMEOUT_MS = 20_000;

/**
 * Sends one request with node:http (fetch would normalise the URL and refuse the odd bytes), on a
 * connection of its own: a case that breaks its connection cannot make the next case fail.
 */
export function send(baseUrl: string, request: FuzzRequest): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent: false,
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.target,
        headers: {
          ...request.headers,
          ...(request.body ? { 'content-length': String(request.body.length) } : {}),
        },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(request.body);
  });
}

/**
 * What is wrong with a response, or undefined: no 5xx; every 4xx is problem+json with its status;
 * a validation failure lists the bad fields by name.
 */
export function violation(response: FuzzResponse): string | undefined {
  if (response.status >= 500) return `HTTP ${response.status}`;
  if (response.status < 400) return undefined;
  if (!/^application\/problem\+json/.test(response.contentType))
    return `HTTP ${response.status} with content-type "${response.contentType}", not application/problem+json`;
  let problem: { status?: unknown; type?: unknown; errors?: unknown };
  try {
    problem = JSON.parse(response.text) as typeof problem;
  } catch {
    return `HTTP ${response.status}: the problem+json body is not JSON`;
  }
  if (problem.status !== response.status)
    return `HTTP ${response.status}: the problem says status ${String(problem.status)}`;
  if (typeof problem.type !== 'string') return `HTTP ${response.status}: the problem has no type`;
  if (problem.type.endsWith('/validation-failed')) {
    const errors = problem.errors;
    if (
      !Array.isArray(errors) ||
      errors.length === 0 ||
      !errors.every((e: { field?: unknown }) => typeof e?.field === 'string' && e.field.length > 0)
    )
      return `HTTP ${response.status} validation-failed without a field name in errors`;
  }
  return undefined;
}

/** A request as a short text for a report (long values cut, odd characters escaped). */
export function describeRequest(request: FuzzRequest): string {
  const cut = (text: string, max: number) =>
    text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
  const body = request.body
    ? cut(JSON.stringify(request.body.toString('latin1')), 400)
    : '(no body)';
  return [
    `${request.method} ${cut(JSON.stringify(request.target), 300)}`,
    `auth=${request.auth} body=${request.bodyKind}`,
    `headers=${cut(JSON.stringify(request.headers), 400)}`,
    `body=${body}`,
  ].join('\n    ');
}
