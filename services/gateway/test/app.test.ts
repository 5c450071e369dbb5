import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { createTestTour } from '@tourkit/catalog/testing';
import { closedPort } from '@tourkit/kit/testing';
import { loadGatewayConfig } from '../src/config.js';
import {
  INTERNAL_TOKEN,
  startEchoUpstream,
  startGateway,
  startRealServices,
  startSilentUpstream,
  type EchoUpstream,
  type RealServices,
  type TestGateway,
} from './support/harness.js';

let services: RealServices;
let booking: EchoUpstream;
let review: EchoUpstream;
let gw: TestGateway;

beforeAll(async () => {
  services = await startRealServices('gateway');
  booking = await startEchoUpstream('booking');
  review = await startEchoUpstream('review');
  gw = await startGateway(services.auth, {
    CATALOG_URL: services.catalogUrl,
    USER_URL: services.userUrl,
    BOOKING_URL: booking.url,
    REVIEW_URL: review.url,
  });
});

afterAll(async () => {
  await gw?.close();
  await booking?.close();
  await review?.close();
  await services?.close();
});

function createTour(): Promise<string> {
  return createTestTour(
    services.catalogUrl,
    INTERNAL_TOKEN,
    { title: 'Seine cruise', durationHours: 1, capacity: 50, priceCents: 2_500 },
    20,
  );
}

describe('routing', () => {
  test('tours go to catalog (public)', async () => {
    const tourId = await createTour();
    const one = await request(gw.url).get(`/v1/tours/${tourId}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: tourId, title: 'Seine cruise' });
    const search = await request(gw.url).get('/v1/tours').query({ destination: 'Paris' });
    expect(search.status).toBe(200);
    expect(JSON.stringify(search.body)).toContain(tourId);
  });

  test("a tour's reviews and rating go to review (public), with path and query intact", async () => {
    const tourId = randomUUID();
    const list = await request(gw.url).get(`/v1/tours/${tourId}/reviews?limit=5`);
    expect(list.body).toMatchObject({
      upstream: 'review',
      url: `/v1/tours/${tourId}/reviews?limit=5`,
    });
    const rating = await request(gw.url).get(`/v1/tours/${tourId}/rating`);
    expect(rating.body).toMatchObject({ upstream: 'review', url: `/v1/tours/${tourId}/rating` });
  });

  test('sign-up and login go to user (public); the token then opens protected user routes', async () => {
    const email = `gw-${randomUUID()}@example.test`;
    const signup = await request(gw.url)
      .post('/v1/users')
      .send({ email, password: 'correct horse battery', name: 'Ada', country: 'FR' });
    expect(signup.status).toBe(201);
    const login = await request(gw.url)
      .post('/v1/auth/login')
      .send({ email, password: 'correct horse battery' });
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    const me = await request(gw.url).get('/v1/users/me').set('authorization', `Bearer ${token}`);
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(email);
  });

  test('bookings go to booking with the Authorization header and the JSON body passed on', async () => {
    const userId = randomUUID();
    const auth = await services.auth.authHeader(userId);
    const res = await request(gw.url)
      .post('/v1/bookings')
      .set(auth)
      .set('idempotency-key', 'k-1')
      .send({ tourId: randomUUID(), travellers: 2 });
    expect(res.status).toBe(200);
    expect(res.body.upstream).toBe('booking');
    expect(res.body.headers.authorization).toBe(auth.authorization);
    expect(res.body.headers['idempotency-key']).toBe('k-1');
    expect(JSON.parse(res.body.body)).toMatchObject({ travellers: 2 });
  });

  test("staff's booking endpoints go to booking (booking checks the role)", async () => {
    const auth = await services.auth.authHeader(randomUUID());
    const list = await request(gw.url).get('/v1/admin/bookings?status=PAYMENT_FAILED').set(auth);
    expect(list.status).toBe(200);
    expect(list.body.upstream).toBe('booking');
    const id = randomUUID();
    const act = await request(gw.url)
      .post(`/v1/admin/bookings/${id}/actions`)
      .set(auth)
      .send({ action: 'mark-resolved', reason: 'refunded by phone' });
    expect(act.body.upstream).toBe('booking');
    expect(act.body.url).toBe(`/v1/admin/bookings/${id}/actions`);
  });

  test("a payment link's page data and pay go to booking without a token (the link's `t` is the authority)", async () => {
    const bookingId = randomUUID();
    const view = await request(gw.url).get(`/v1/payment-links/${bookingId}?t=abc.def`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      upstream: 'booking',
      url: `/v1/payment-links/${bookingId}?t=abc.def`,
    });
    const pay = await request(gw.url)
      .post(`/v1/payment-links/${bookingId}/pay`)
      .send({ t: 'abc.def' });
    expect(pay.status).toBe(200);
    expect(pay.body.upstream).toBe('booking');
    expect(JSON.parse(pay.body.body)).toEqual({ t: 'abc.def' });
    // Only reading and paying are public there.
    const other = await request(gw.url).delete(`/v1/payment-links/${bookingId}`);
    expect(other.status).toBe(401);
  });

  test('unknown /v1 paths are a 404 problem from the gateway', async () => {
    const res = await request(gw.url).get('/v1/payments');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('authentication', () => {
  test.each([
    ['GET', '/v1/bookings'],
    ['GET', '/v1/admin/bookings'],
    ['POST', `/v1/tours/${randomUUID()}/reviews`],
    ['POST', '/v1/tours'],
    ['GET', '/v1/users/me'],
  ])('%s %s without a token → 401 problem, nothing forwarded', async (method, path) => {
    const before = booking.requests.length + review.requests.length;
    const res = await request(gw.url)[method === 'GET' ? 'get' : 'post'](path).send({});
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.type).toBe('https://tourkit.dev/problems/unauthorized');
    expect(booking.requests.length + review.requests.length).toBe(before);
  });

  test('an invalid or expired token → 401 naming why', async () => {
    const res = await request(gw.url)
      .get('/v1/bookings')
      .set('authorization', 'Bearer abc.def.ghi');
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('The token is invalid.');
  });

  test('a token signed by another key → 401', async () => {
    const { createTestAuth } = await import('@tourkit/kit/testing');
    const other = createTestAuth();
    const res = await request(gw.url)
      .get('/v1/bookings')
      .set(await other.authHeader(randomUUID()));
    expect(res.status).toBe(401);
  });
});

describe('internal endpoints are never reachable', () => {
  test.each([
    '/internal/bookings?user=x&tour=y',
    '/internal/tours/00000000-0000-4000-8000-000000000001/rating',
    '/v1/internal/bookings',
    '/v1/tours/../internal/tours',
    '/v1/bookings/..%2F..%2Finternal%2Fbookings',
    '/v1/tours/%2e%2e/%2e%2e/internal/tours',
  ])('%s → 404', async (path) => {
    const before = booking.requests.length + review.requests.length;
    const auth = await services.auth.authHeader(randomUUID());
    const res = await request(gw.url).get(path).set(auth).set('x-internal-token', INTERNAL_TOKEN);
    expect(res.status).toBe(404);
    expect(booking.requests.length + review.requests.length).toBe(before);
  });

  test('a client-sent x-internal-token is stripped before forwarding', async () => {
    const res = await request(gw.url)
      .get('/v1/bookings')
      .set(await services.auth.authHeader(randomUUID()))
      .set('x-internal-token', INTERNAL_TOKEN);
    expect(res.body.headers['x-internal-token']).toBeUndefined();
  });
});

describe('trace context and request id', () => {
  test('traceparent and x-request-id reach the upstream unchanged', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const res = await request(gw.url)
      .get('/v1/bookings')
      .set(await services.auth.authHeader(randomUUID()))
      .set('traceparent', traceparent)
      .set('x-request-id', 'req-abc-123');
    expect(res.body.headers.traceparent).toBe(traceparent);
    expect(res.body.headers['x-request-id']).toBe('req-abc-123');
    expect(res.headers['x-request-id']).toBe('req-abc-123');
  });

  test('without an x-request-id the gateway makes one and forwards it', async () => {
    const res = await request(gw.url).get(`/v1/tours/${randomUUID()}/rating`);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.body.headers['x-request-id']).toBe(res.headers['x-request-id']);
  });
});

describe('rate limit', () => {
  let limited: TestGateway;

  beforeAll(async () => {
    limited = await startGateway(services.auth, {
      RATE_LIMIT_PER_MINUTE: '3',
      CATALOG_URL: services.catalogUrl,
      USER_URL: services.userUrl,
      BOOKING_URL: booking.url,
      REVIEW_URL: review.url,
    });
  });

  afterAll(async () => {
    await limited?.close();
  });

  test('per token subject: the 4th request in a minute → 429 problem+json with Retry-After and RateLimit headers', async () => {
    const alice = await services.auth.authHeader(randomUUID());
    for (let i = 0; i < 3; i += 1) {
      const ok = await request(limited.url).get('/v1/bookings').set(alice);
      expect(ok.status).toBe(200);
      expect(ok.headers.ratelimit).toMatch(new RegExp(`limit=3, remaining=${2 - i}`));
    }
    const refused = await request(limited.url).get('/v1/bookings').set(alice);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({
      type: 'https://tourkit.dev/problems/rate-limited',
      status: 429,
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.retryAfterSeconds).toBe(retryAfter);
    expect(refused.headers['ratelimit-policy']).toMatch(/^3;w=60/);

    // Another user has a budget of their own.
    const bob = await services.auth.authHeader(randomUUID());
    expect((await request(limited.url).get('/v1/bookings').set(bob)).status).toBe(200);
  });

  test('anonymous callers are limited by IP', async () => {
    const tourId = randomUUID();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push((await request(limited.url).get(`/v1/tours/${tourId}/rating`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  test('the count is shared by replicas through Redis', async () => {
    const prefix = `gateway-test:${randomUUID()}:`;
    const env = {
      RATE_LIMIT_PER_MINUTE: '2',
      RATE_LIMIT_PREFIX: prefix,
      BOOKING_URL: booking.url,
      REVIEW_URL: review.url,
    };
    const first = await startGateway(services.auth, env);
    const second = await startGateway(services.auth, env);
    try {
      const carol = await services.auth.authHeader(randomUUID());
      expect((await request(first.url).get('/v1/bookings').set(carol)).status).toBe(200);
      expect((await request(second.url).get('/v1/bookings').set(carol)).status).toBe(200);
      expect((await request(first.url).get('/v1/bookings').set(carol)).status).toBe(429);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('rate limit: whom a request counts against', () => {
  const upstreams = () => ({
    CATALOG_URL: services.catalogUrl,
    USER_URL: services.userUrl,
    BOOKING_URL: booking.url,
    REVIEW_URL: review.url,
  });
  const anonymous = (url: string, forwardedFor: string) =>
    request(url).get(`/v1/tours/${randomUUID()}/rating`).set('x-forwarded-for', forwardedFor);

  test('two users behind one address are limited separately (their token subjects)', async () => {
    const gateway = await startGateway(services.auth, {
      ...upstreams(),
      RATE_LIMIT_PER_MINUTE: '2',
    });
    try {
      const alice = await services.auth.authHeader(randomUUID());
      const bob = await services.auth.authHeader(randomUUID());
      const statuses: string[] = [];
      for (const [who, auth] of [
        ['alice', alice],
        ['bob', bob],
        ['alice', alice],
        ['bob', bob],
        ['alice', alice],
        ['bob', bob],
      ] as const) {
        statuses.push(
          `${who} ${(await request(gateway.url).get('/v1/bookings').set(auth)).status}`,
        );
      }
      expect(statuses).toEqual([
        'alice 200',
        'bob 200',
        'alice 200',
        'bob 200',
        'alice 429',
        'bob 429',
      ]);
    } finally {
      await gateway.close();
    }
  });

  test('X-Forwarded-For from an untrusted peer is ignored (default): the peer is the client', async () => {
    const gateway = await startGateway(services.auth, {
      ...upstreams(),
      RATE_LIMIT_PER_MINUTE: '2',
    });
    try {
      expect((await anonymous(gateway.url, '203.0.113.1')).status).toBe(200);
      expect((await anonymous(gateway.url, '203.0.113.2')).status).toBe(200);
      // A new address each time does not buy a new budget.
      expect((await anonymous(gateway.url, '203.0.113.3')).status).toBe(429);
    } finally {
      await gateway.close();
    }
  });

  test('from a trusted proxy (TRUSTED_PROXIES CIDR), X-Forwarded-For names the client', async () => {
    // The test connects from 127.0.0.1: it plays the ingress in front of the gateway.
    const gateway = await startGateway(services.auth, {
      ...upstreams(),
      RATE_LIMIT_PER_MINUTE: '2',
      TRUSTED_PROXIES: '127.0.0.0/8, ::1',
    });
    try {
      expect((await anonymous(gateway.url, '203.0.113.1')).status).toBe(200);
      expect((await anonymous(gateway.url, '203.0.113.1')).status).toBe(200);
      expect((await anonymous(gateway.url, '203.0.113.1')).status).toBe(429);
      // Another client behind the same proxy has its own budget.
      expect((await anonymous(gateway.url, '203.0.113.2')).status).toBe(200);
      // Entries a client writes itself (left of what the proxy appended) change nothing.
      expect((await anonymous(gateway.url, '198.51.100.9, 203.0.113.1')).status).toBe(429);
    } finally {
      await gateway.close();
    }
  });

  test('TRUSTED_PROXIES as a hop count: the client is that many entries from the right', async () => {
    const gateway = await startGateway(services.auth, {
      ...upstreams(),
      RATE_LIMIT_PER_MINUTE: '1',
      TRUSTED_PROXIES: '1',
    });
    try {
      expect((await anonymous(gateway.url, '198.51.100.1, 203.0.113.5')).status).toBe(200);
      expect((await anonymous(gateway.url, '198.51.100.2, 203.0.113.5')).status).toBe(429);
      expect((await anonymous(gateway.url, '203.0.113.6')).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  test('a TRUSTED_PROXIES entry that is no address stops start-up naming the variable', () => {
    expect(() =>
      loadGatewayConfig({ JWT_PUBLIC_KEY: services.auth.publicKeyPem, TRUSTED_PROXIES: 'ingress' }),
    ).toThrow(/TRUSTED_PROXIES/);
  });
});

describe('Redis down', () => {
  test('the limiter fails open: requests still pass, /health DEGRADED (cache)', async () => {
    const noRedis = await startGateway(services.auth, {
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
      RATE_LIMIT_PER_MINUTE: '1',
      BOOKING_URL: booking.url,
      REVIEW_URL: review.url,
      CATALOG_URL: services.catalogUrl,
      USER_URL: services.userUrl,
    });
    try {
      const alice = await services.auth.authHeader(randomUUID());
      for (let i = 0; i < 3; i += 1)
        expect((await request(noRedis.url).get('/v1/bookings').set(alice)).status).toBe(200);
      const health = await request(noRedis.url).get('/health');
      expect(health.body.status).toBe('DEGRADED');
      expect(health.body.checks.cache.status).toBe('DOWN');
    } finally {
      await noRedis.close();
    }
  });
});

describe('upstream failures', () => {
  test('upstream down → 502 problem+json; no answer in time → 504; /health DEGRADED', async () => {
    const silent = await startSilentUpstream();
    const failing = await startGateway(services.auth, {
      BOOKING_URL: `http://127.0.0.1:${await closedPort()}`,
      REVIEW_URL: silent.url,
      CATALOG_URL: services.catalogUrl,
      USER_URL: services.userUrl,
      UPSTREAM_TIMEOUT_MS: '300',
    });
    try {
      const down = await request(failing.url)
        .get('/v1/bookings')
        .set(await services.auth.authHeader(randomUUID()));
      expect(down.status).toBe(502);
      expect(down.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(down.body).toMatchObject({
        type: 'https://tourkit.dev/problems/upstream-unavailable',
        detail: 'The booking service is unavailable.',
      });

      const slow = await request(failing.url).get(`/v1/tours/${randomUUID()}/reviews`);
      expect(slow.status).toBe(504);
      expect(slow.body.type).toBe('https://tourkit.dev/problems/upstream-timeout');

      const health = await request(failing.url).get('/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('DEGRADED');
      expect(health.body.checks.booking.status).toBe('DOWN');
      expect(health.body.checks.catalog.status).toBe('UP');
      expect(health.body.checks.user).toMatchObject({ status: 'UP', critical: false });
      expect((await request(failing.url).get('/readyz')).status).toBe(200);
    } finally {
      await failing.close();
      await silent.close();
    }
  });
});

describe('OpenAPI', () => {
  const repoSpec = (service: string) =>
    readFile(fileURLToPath(new URL(`../../${service}/openapi.yaml`, import.meta.url)), 'utf8');

  test('index lists the gateway and every routed service', async () => {
    const res = await request(gw.url).get('/v1/openapi');
    expect(res.status).toBe(200);
    expect(res.body.specs.map((s: { service: string }) => s.service).sort()).toEqual([
      'booking',
      'catalog',
      'gateway',
      'review',
      'user',
    ]);
    expect(res.body.specs).toContainEqual({ service: 'catalog', url: '/v1/openapi/catalog.yaml' });
  });

  test.each(['catalog', 'user', 'gateway'])(
    '%s.yaml is the document the service serves, as YAML',
    async (service) => {
      const res = await request(gw.url).get(`/v1/openapi/${service}.yaml`).buffer(true);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/yaml/);
      expect(res.text).toBe(await repoSpec(service));
    },
  );

  test("an upstream whose /openapi.yaml is not a document (review's echo answers JSON) → 502", async () => {
    const res = await request(gw.url).get('/v1/openapi/review.yaml');
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  test('/v1/openapi.json is the public API: every /v1 operation, nothing under /internal, no token needed', async () => {
    const res = await request(gw.url).get('/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(
      JSON.parse(
        await readFile(fileURLToPath(new URL('../public-openapi.json', import.meta.url)), 'utf8'),
      ),
    );
    const paths = Object.keys(res.body.paths as object);
    expect(paths.filter((path) => !path.startsWith('/v1/'))).toEqual([]);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/tours',
        '/v1/bookings',
        '/v1/users/me',
        '/v1/tours/{tourId}/reviews',
        '/v1/openapi.json',
      ]),
    );
    expect(res.body.tags.map((tag: { name: string }) => tag.name)).toEqual([
      'gateway',
      'catalog',
      'user',
      'booking',
      'review',
    ]);
  });

  test('/docs is a reference page of /v1/openapi.json whose renderer the gateway serves itself', async () => {
    const page = await request(gw.url).get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(3);
    // Every asset the page loads comes from this gateway (there is no CDN to reach).
    for (const source of sources) {
      expect(source).toMatch(/^\/docs\//);
      const asset = await request(gw.url).get(source).buffer(true);
      expect(asset.status).toBe(200);
      expect(asset.text.length).toBeGreaterThan(0);
    }
    const init = await request(gw.url).get('/docs/init.js').buffer(true);
    expect(init.text).toContain("url: '/v1/openapi.json'");
    expect((await request(gw.url).get('/docs/assets/no-such-file.js')).status).toBe(404);
  });

  test('an unknown spec → 404', async () => {
    expect((await request(gw.url).get('/v1/openapi/payment.yaml')).status).toBe(404);
    expect((await request(gw.url).get('/v1/openapi/..%2Fsecret.yaml')).status).toBe(404);
  });

  test('a document is fetched once and served from memory, even once its service is down; a service down → 502', async () => {
    let fetches = 0;
    const specServer = createServer((req, res) => {
      if (req.url === '/openapi.yaml') fetches += 1;
      res.writeHead(200, { 'content-type': 'application/yaml' });
      res.end('openapi: 3.1.0\ninfo: { title: booking, version: "1" }\n');
    });
    await new Promise<void>((resolve) => specServer.listen(0, '127.0.0.1', resolve));
    const specUrl = `http://127.0.0.1:${(specServer.address() as AddressInfo).port}`;
    const down = `http://127.0.0.1:${await closedPort()}`;
    const local = await startGateway(services.auth, { BOOKING_URL: specUrl, REVIEW_URL: down });
    try {
      const first = await request(local.url).get('/v1/openapi/booking.yaml').buffer(true);
      expect(first.status).toBe(200);
      expect(first.text).toContain('title: booking');
      specServer.closeAllConnections();
      await new Promise<void>((resolve) => specServer.close(() => resolve()));
      const second = await request(local.url).get('/v1/openapi/booking.yaml').buffer(true);
      expect(second.status).toBe(200);
      expect(second.text).toBe(first.text);
      expect(fetches).toBe(1);

      const unreachable = await request(local.url).get('/v1/openapi/review.yaml');
      expect(unreachable.status).toBe(502);
      expect(unreachable.body).toMatchObject({ status: 502 });
    } finally {
      await local.close();
    }
  });
});
