import { z } from 'zod';
import {
  jsonResponse,
  problem,
  security,
  serviceDocument,
  unavailable,
  type ServiceDocumentOptions,
} from '../src/openapi.js';

// The frame every service's generated document shares (src/openapi.ts).

const document = serviceDocument({
  service: 'demo',
  port: 9999,
  description: 'A demo service',
  paths: {
    '/v1/things': {
      get: {
        operationId: 'listThings',
        summary: 'Things',
        security: security.bearer,
        requestParams: { query: z.object({ limit: z.coerce.number().int().min(1).max(10) }) },
        responses: {
          '200': jsonResponse('Things', z.object({ count: z.number().int() })),
          '400': problem('validation-failed'),
        },
      },
    },
  },
});

type Operation = { responses: Record<string, { $ref?: string; description?: string }> };
const listThings = (document.paths!['/v1/things'] as { get: Operation }).get;

describe('a service document', () => {
  test("every operation lists the kit's own answers (413, 415, 431), keeping its own 400", () => {
    expect(Object.keys(listThings.responses)).toEqual(['200', '400', '413', '415', '431']);
    expect(listThings.responses['400']!.description).toBe('validation-failed');
    expect(listThings.responses['431']).toEqual({
      $ref: '#/components/responses/RequestHeaderFieldsTooLarge',
    });
    expect(Object.keys(document.components!.responses!).sort()).toEqual([
      'PayloadTooLarge',
      'RequestHeaderFieldsTooLarge',
      'UnsupportedMediaType',
    ]);
  });

  test('declares only the security schemes its operations use', () => {
    expect(Object.keys(document.components!.securitySchemes!)).toEqual(['bearer']);
  });

  test('writes a plain integer without the ±MAX_SAFE_INTEGER bounds zod gives it, keeping real ones', () => {
    const ok = listThings.responses['200'] as unknown as {
      content: { 'application/json': { schema: { properties: { count: object } } } };
    };
    expect(ok.content['application/json'].schema.properties.count).toEqual({ type: 'integer' });
    const parameters = (document.paths!['/v1/things'] as { get: { parameters: unknown[] } }).get
      .parameters;
    expect(parameters).toEqual([
      expect.objectContaining({
        name: 'limit',
        in: 'query',
        schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 10 }),
      }),
    ]);
  });

  test('the problem+json body is one shared component', () => {
    expect(document.components!.schemas!.Problem).toMatchObject({
      type: 'object',
      required: ['type', 'title', 'status'],
    });
  });
});

describe('a service with a database', () => {
  const operation = (operationId: string, responses: Record<string, object> = {}) => ({
    operationId,
    summary: operationId,
    security: security.none,
    responses: { '200': jsonResponse('Done', z.object({ ok: z.boolean() })), ...responses },
  });
  const withDatabase = (
    database: ServiceDocumentOptions['database'],
    paths: ServiceDocumentOptions['paths'],
  ) => serviceDocument({ service: 'demo', port: 9999, description: 'Demo', paths, database });
  type Responses = Record<string, { $ref?: string; description?: string; headers?: object }>;
  const responsesOf = (doc: ReturnType<typeof serviceDocument>, path: string) =>
    (doc.paths![path] as { get: { responses: Responses } }).get.responses;

  test('each operation answers 503 DatabaseUnavailable (with Retry-After), except those that never query it', () => {
    const doc = withDatabase(
      { unusedBy: ['getKeys'] },
      { '/v1/things': { get: operation('listThings') }, '/keys': { get: operation('getKeys') } },
    );
    expect(responsesOf(doc, '/v1/things')['503']).toEqual({
      $ref: '#/components/responses/DatabaseUnavailable',
    });
    expect(responsesOf(doc, '/keys')['503']).toBeUndefined();
    const shared = doc.components!.responses!.DatabaseUnavailable as Responses[string];
    expect(shared.description).toMatch(/^service-unavailable: the service's database/);
    expect(shared.headers).toHaveProperty('retry-after');
  });

  test("an operation's own 503 is kept when it also says the database, refused when it does not", () => {
    const own = unavailable('service-unavailable: the circuit is open');
    const doc = withDatabase(true, { '/v1/pay': { get: operation('pay', { '503': own }) } });
    const kept = responsesOf(doc, '/v1/pay')['503']!;
    expect(kept.description).toMatch(/^service-unavailable: the circuit is open; or .*database/);
    expect(kept.headers).toHaveProperty('retry-after');
    expect(() =>
      withDatabase(true, {
        '/v1/pay': { get: operation('pay', { '503': problem('the circuit is open') }) },
      }),
    ).toThrow(/GET \/v1\/pay: its own 503 does not say the database/);
  });

  test('a service without one documents no 503, and unusedBy naming no operation is refused', () => {
    const doc = withDatabase(undefined, { '/v1/things': { get: operation('listThings') } });
    expect(responsesOf(doc, '/v1/things')['503']).toBeUndefined();
    expect(doc.components!.responses).not.toHaveProperty('DatabaseUnavailable');
    expect(() =>
      withDatabase({ unusedBy: ['getKys'] }, { '/keys': { get: operation('getKeys') } }),
    ).toThrow(/no operation getKys/);
  });
});
