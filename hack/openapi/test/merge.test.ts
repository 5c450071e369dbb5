import { mergePublic, withGatewayResponses } from '../merge.js';

const problem = { type: 'object', properties: { status: { type: 'integer' } } };
const info = { title: 'public', version: '1' };

function documentOf(paths: Record<string, unknown>, schemas: Record<string, unknown> = {}) {
  return {
    info: { title: 't', version: '1', description: 'a service' },
    paths,
    components: {
      schemas: { Problem: problem, ...schemas },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        internalToken: { type: 'apiKey', in: 'header', name: 'x-internal-token' },
      },
    },
  };
}

const op = (ref: string, security: unknown[] = [{ bearer: [] }]) => ({
  security,
  responses: { '200': { content: { 'application/json': { schema: { $ref: ref } } } } },
});

describe('the public document', () => {
  const booking = documentOf(
    {
      '/v1/bookings': { get: op('#/components/schemas/Booking') },
      '/internal/bookings': { get: op('#/components/schemas/Internal', [{ internalToken: [] }]) },
    },
    {
      Booking: { type: 'object', properties: { price: { $ref: '#/components/schemas/Price' } } },
      Price: { type: 'integer' },
      Internal: { type: 'object' },
    },
  );
  const catalog = documentOf({ '/v1/tours': { get: op('#/components/schemas/Problem', []) } });

  test('has the /v1 operations only, tagged by service, and only the components they reach', () => {
    const merged = mergePublic(
      [
        { service: 'booking', document: booking },
        { service: 'catalog', document: catalog },
      ],
      info,
    ) as {
      paths: Record<string, Record<string, { tags: string[] }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
      tags: Array<{ name: string }>;
    };
    expect(Object.keys(merged.paths)).toEqual(['/v1/bookings', '/v1/tours']);
    expect(merged.paths['/v1/bookings']!.get!.tags).toEqual(['booking']);
    expect(Object.keys(merged.components.schemas)).toEqual(['Booking', 'Price', 'Problem']);
    expect(Object.keys(merged.components.securitySchemes)).toEqual(['bearer']);
    expect(merged.tags.map((t) => t.name)).toEqual(['booking', 'catalog']);
  });

  test('refuses two services declaring one component name differently', () => {
    const other = documentOf(
      { '/v1/tours': { get: op('#/components/schemas/Price', []) } },
      { Price: { type: 'string' } },
    );
    expect(() =>
      mergePublic(
        [
          { service: 'booking', document: booking },
          { service: 'catalog', document: other },
        ],
        info,
      ),
    ).toThrow('catalog and booking both declare #/components/schemas/Price, differently');
  });

  test('refuses one path declared by two services', () => {
    expect(() =>
      mergePublic(
        [
          { service: 'booking', document: booking },
          { service: 'again', document: booking },
        ],
        info,
      ),
    ).toThrow('/v1/bookings is declared by again and another service');
  });

  test("adds the gateway's own answers where the service's document is silent", () => {
    const merged = withGatewayResponses(
      mergePublic([{ service: 'booking', document: booking }], info),
    ) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { responses: Record<string, unknown> };
    };
    const responses = merged.paths['/v1/bookings']!.get!.responses;
    expect(Object.keys(responses)).toEqual(['200', '401', '429', '502', '504']);
    expect(Object.keys(merged.components.responses).sort()).toEqual([
      'GatewayRateLimited',
      'GatewayUnauthorized',
      'GatewayUpstreamFailed',
      'GatewayUpstreamTimeout',
    ]);
  });
});
