import {
  checkContract,
  failOnContractViolations,
  parseBody,
  takeContractViolations,
} from './support/http.js';
import { Contract } from './support/contract.js';

// The contract check the end-to-end clients run on every response (support/http.ts), against the
// generated documents of this tree.

const contract = Contract.load();
const bookingId = '0b5c3c1e-2a43-4a8e-8f5e-3d6b1a2c9e01';
const notFound = {
  type: 'https://tourkit.dev/problems/not-found',
  title: 'Not found',
  status: 404,
};

describe('the contract check', () => {
  test('a documented status, content type and body pass', () => {
    expect(
      contract.violation('gateway', {
        method: 'GET',
        path: `/v1/bookings/${bookingId}?x=1`,
        status: 404,
        contentType: 'application/problem+json; charset=utf-8',
        body: notFound,
      }),
    ).toBeUndefined();
  });

  test("a booking that met booking's database restarting answers a documented 503 (the Postgres fault)", () => {
    expect(
      contract.violation('gateway', {
        method: 'POST',
        path: '/v1/bookings',
        status: 503,
        contentType: 'application/problem+json; charset=utf-8',
        body: {
          type: 'https://tourkit.dev/problems/service-unavailable',
          title: 'Service unavailable',
          status: 503,
          detail: 'The database is unavailable for now; try again later.',
          retryAfterSeconds: 5,
        },
      }),
    ).toBeUndefined();
  });

  test('an undocumented status fails, naming the operation and what it documents', () => {
    expect(
      contract.violation('gateway', {
        method: 'GET',
        path: `/v1/bookings/${bookingId}`,
        status: 418,
        contentType: 'application/problem+json',
        body: { ...notFound, status: 418 },
      }),
    ).toMatch(/418: status not documented for GET \/v1\/bookings\/\{id\}.*documented: 200, 400/);
  });

  test('a body off its schema fails, naming the field', () => {
    expect(
      contract.violation('gateway', {
        method: 'GET',
        path: '/v1/users/me',
        status: 200,
        contentType: 'application/json',
        body: { id: 'not a uuid' },
      }),
    ).toMatch(/must have required property 'email'/);
  });

  test('an undocumented content type fails', () => {
    expect(
      contract.violation('gateway', {
        method: 'GET',
        path: '/v1/tours',
        status: 200,
        contentType: 'text/html',
        body: '<html></html>',
      }),
    ).toMatch(/content-type "text\/html", documented: application\/json/);
  });

  test('a literal path wins over a template (/v1/users/me is not /v1/users/{id})', () => {
    expect(
      contract.violation('gateway', {
        method: 'PATCH',
        path: '/v1/users/me',
        status: 403,
        contentType: 'application/problem+json',
        body: { ...notFound, status: 403 },
      }),
    ).toMatch(/PATCH \/v1\/users\/me/);
  });

  test('a /v1 path no operation declares fails; probes are no operation and pass', () => {
    const seen = { status: 404, contentType: 'application/problem+json', body: notFound };
    expect(contract.violation('gateway', { method: 'GET', path: '/v1/nothing', ...seen })).toMatch(
      /no operation/,
    );
    expect(
      contract.violation('booking', { method: 'GET', path: '/health', ...seen }),
    ).toBeUndefined();
  });

  test("the gateway's own answers are part of the public contract (rate limit on any operation)", () => {
    expect(
      contract.violation('gateway', {
        method: 'GET',
        path: '/v1/tours',
        status: 429,
        contentType: 'application/problem+json',
        body: { type: 'https://tourkit.dev/problems/rate-limited', title: 'Too many', status: 429 },
      }),
    ).toBeUndefined();
    // ...but not in booking's own document: straight to booking, no gateway answers.
    expect(
      contract.violation('booking', {
        method: 'GET',
        path: '/v1/bookings',
        status: 429,
        contentType: 'application/problem+json',
        body: notFound,
      }),
    ).toMatch(/status not documented/);
  });
});

describe('checkContract, as every client here and the real-node tests call it', () => {
  test('passes a documented answer and throws on an undocumented one, naming the document', () => {
    const denied = {
      method: 'POST',
      path: '/v1/tours',
      contentType: 'application/problem+json',
      body: {
        type: 'https://tourkit.dev/problems/unauthorized',
        title: 'Unauthorized',
        status: 401,
      },
    };
    expect(() => checkContract('catalog', { ...denied, status: 401 })).not.toThrow();
    expect(() => checkContract('catalog', { ...denied, status: 418 })).toThrow(
      /^contract \(catalog's OpenAPI document\): .*418: status not documented for POST \/v1\/tours/,
    );
    // Taken here, or the guard after this test would fail it: the 418 was provoked on purpose.
    expect(takeContractViolations()).toEqual([
      expect.stringMatching(/418: status not documented for POST \/v1\/tours/),
    ]);
  });

  test('keeps a violation whose throw was caught, and the guard fails the test with it', () => {
    const undocumented = {
      method: 'GET',
      path: '/v1/nothing',
      status: 200,
      contentType: 'application/json',
      body: {},
    };
    // As a poll that retries, or a fault scenario that counts a failed request as an answer, does.
    try {
      checkContract('gateway', undocumented);
    } catch {
      // swallowed
    }
    expect(() => failOnContractViolations('seen by this test')).toThrow(
      /^1 response\(s\) seen by this test broke the OpenAPI documents:\n {2}contract \(gateway's OpenAPI document\): GET \/v1\/nothing → 200: no operation/,
    );
    // Reported once: the next test starts clean.
    expect(() => failOnContractViolations('seen by this test')).not.toThrow();
    expect(takeContractViolations()).toEqual([]);
  });

  test('reads JSON only when the content type says so', () => {
    expect(parseBody('application/problem+json', '{"a":1}')).toEqual({ a: 1 });
    expect(parseBody('text/plain', '{"a":1}')).toBe('{"a":1}');
    expect(parseBody('application/json', '')).toBe('');
  });
});
