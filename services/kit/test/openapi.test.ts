import { z } from 'zod';
import { jsonResponse, problem, security, serviceDocument } from '../src/openapi.js';

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
