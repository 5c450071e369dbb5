import request from 'supertest';
import { harnessForFile } from '../support/harness.js';

// What the router itself answers; each use case's own answers are tested in test/use-cases/.
const t = harnessForFile('booking_routes');

describe('payment link routes', () => {
  test('any other path under /v1/payment-links is no route (404), never a demand for a bearer token', async () => {
    for (const [method, path] of [
      ['post', '/v1/payment-links//pay'],
      ['get', '/v1/payment-links/'],
      ['get', '/v1/payment-links/x/y/z'],
    ] as const) {
      const res = await request(t.h.app)[method](path).send({ t: 'x' });
      expect({ path, status: res.status, type: res.body.type }).toEqual({
        path,
        status: 404,
        type: 'https://tourkit.dev/problems/not-found',
      });
    }
  });
});
