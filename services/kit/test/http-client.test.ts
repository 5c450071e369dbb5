import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace, type Span } from '@opentelemetry/api';
import { z } from 'zod';
import { createServiceClient } from '../src/http-client.js';
import { backoffDelay, shouldRetry } from '../src/retry-policy.js';
import { UpstreamError } from '../src/upstream-error.js';
import { runWithRequestContext } from '../src/request-context.js';
import { initTracing } from '../src/tracing.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** A real local HTTP server whose behaviour each test sets, recording what it received. */
async function startUpstream() {
  const received: Array<{
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
  }> = [];
  let handler: Handler = (_req, res) => res.end('{}');
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    respond(next: Handler) {
      handler = next;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: http.ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
}

describe('shouldRetry / backoffDelay', () => {
  const error = (kind: UpstreamError['kind'], status?: number) =>
    new UpstreamError({
      service: 's',
      method: 'GET',
      url: 'u',
      kind,
      ...(status ? { status } : {}),
    });

  it('retries idempotent methods on network errors, timeouts and 5xx only', () => {
    expect(shouldRetry('GET', error('network'))).toBe(true);
    expect(shouldRetry('PUT', error('timeout'))).toBe(true);
    expect(shouldRetry('DELETE', error('status', 503))).toBe(true);
    expect(shouldRetry('GET', error('status', 404))).toBe(false);
    expect(shouldRetry('GET', error('invalid-response', 200))).toBe(false);
    expect(shouldRetry('POST', error('status', 503))).toBe(false);
    expect(shouldRetry('PATCH', error('network'))).toBe(false);
    expect(shouldRetry('POST', error('network'), true)).toBe(true);
  });

  it('doubles the delay per attempt, with jitter between half and full', () => {
    expect(backoffDelay(0, 100, () => 1)).toBe(100);
    expect(backoffDelay(2, 100, () => 1)).toBe(400);
    expect(backoffDelay(2, 100, () => 0)).toBe(200);
  });
});

describe('createServiceClient (real HTTP server)', () => {
  let upstream: Awaited<ReturnType<typeof startUpstream>>;

  beforeEach(async () => {
    upstream = await startUpstream();
  });
  afterEach(() => upstream.close());

  it('returns the JSON body validated by the schema, with query parameters', async () => {
    upstream.respond((_req, res) => json(res, 200, { id: 7, priceCents: 12000 }));
    const client = createServiceClient({ name: 'catalog', baseUrl: upstream.baseUrl });
    const tour = await client.get('/v1/tours/7', {
      query: { currency: 'EUR', skip: undefined },
      schema: z.object({ id: z.number(), priceCents: z.number().int() }),
    });
    expect(tour.priceCents).toBe(12000);
    expect(upstream.received[0]?.url).toBe('/v1/tours/7?currency=EUR');
  });

  it('fails with kind invalid-response when the body does not match the schema', async () => {
    upstream.respond((_req, res) => json(res, 200, { id: 'seven' }));
    const client = createServiceClient({ name: 'catalog', baseUrl: upstream.baseUrl });
    await expect(client.get('/x', { schema: z.object({ id: z.number() }) })).rejects.toMatchObject({
      kind: 'invalid-response',
    });
  });

  it('turns an error answer into an UpstreamError carrying status and problem body, without retrying a 4xx', async () => {
    const problem = {
      type: 'https://tourkit.dev/problems/not-found',
      title: 'Not found',
      status: 404,
    };
    upstream.respond((_req, res) => json(res, 404, problem, 'application/problem+json'));
    const client = createServiceClient({
      name: 'catalog',
      baseUrl: upstream.baseUrl,
      retries: 3,
      backoffMs: 1,
    });
    const error = await client.get('/v1/tours/404').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ service: 'catalog', kind: 'status', status: 404, problem });
    expect(upstream.received).toHaveLength(1);
  });

  it('retries a GET on 5xx and succeeds', async () => {
    let calls = 0;
    upstream.respond((_req, res) =>
      ++calls < 3 ? json(res, 503, { status: 503 }) : json(res, 200, { ok: true }),
    );
    const client = createServiceClient({
      name: 'catalog',
      baseUrl: upstream.baseUrl,
      retries: 2,
      backoffMs: 1,
    });
    expect(await client.get('/flaky')).toEqual({ ok: true });
    expect(upstream.received).toHaveLength(3);
  });

  it("takes a call's own retries over the client's", async () => {
    upstream.respond((_req, res) => json(res, 503, { status: 503 }));
    const client = createServiceClient({
      name: 'catalog',
      baseUrl: upstream.baseUrl,
      retries: 2,
      backoffMs: 1,
    });
    await expect(client.get('/once', { retries: 0 })).rejects.toMatchObject({ status: 503 });
    expect(upstream.received).toHaveLength(1);
    await expect(client.get('/more', { retries: 3 })).rejects.toMatchObject({ status: 503 });
    expect(upstream.received).toHaveLength(5);
  });

  it('never retries a POST (not idempotent), unless told it is', async () => {
    upstream.respond((_req, res) => json(res, 503, { status: 503 }));
    const client = createServiceClient({
      name: 'payment',
      baseUrl: upstream.baseUrl,
      retries: 2,
      backoffMs: 1,
    });
    await expect(client.post('/v1/charges', { amountCents: 100 })).rejects.toMatchObject({
      status: 503,
    });
    expect(upstream.received).toHaveLength(1);
    expect(JSON.parse(upstream.received[0]!.body)).toEqual({ amountCents: 100 });
    expect(upstream.received[0]!.headers['content-type']).toBe('application/json');

    await expect(
      client.post('/v1/charges', {}, { idempotent: true, headers: { 'idempotency-key': 'k1' } }),
    ).rejects.toMatchObject({ status: 503 });
    expect(upstream.received).toHaveLength(4);
  });

  it('times out a slow answer and retries it when idempotent', async () => {
    upstream.respond(() => undefined); // never answers
    const client = createServiceClient({
      name: 'catalog',
      baseUrl: upstream.baseUrl,
      timeoutMs: 50,
      retries: 1,
      backoffMs: 1,
    });
    const error = await client.get('/hang').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout', service: 'catalog' });
    expect(upstream.received).toHaveLength(2);
  });

  it('reports a refused connection as a network error', async () => {
    await upstream.close();
    const client = createServiceClient({ name: 'catalog', baseUrl: upstream.baseUrl, retries: 0 });
    await expect(client.get('/x')).rejects.toMatchObject({ kind: 'network' });
  });

  it('forwards the current request id and extra headers', async () => {
    const client = createServiceClient({
      name: 'booking',
      baseUrl: upstream.baseUrl,
      headers: { 'x-internal-token': 'secret-token-123456' },
    });
    await runWithRequestContext({ requestId: 'req-42' }, () => client.get('/internal/x'));
    expect(upstream.received[0]?.headers['x-request-id']).toBe('req-42');
    expect(upstream.received[0]?.headers['x-internal-token']).toBe('secret-token-123456');
  });

  it('propagates W3C trace context of the active span', async () => {
    const tracing = initTracing('http-client-test', {
      otlpEndpoint: undefined,
      instrumentations: false,
    });
    try {
      const client = createServiceClient({ name: 'catalog', baseUrl: upstream.baseUrl });
      const tracer = trace.getTracer('test');
      const span: Span = tracer.startSpan('parent');
      await context.with(trace.setSpan(context.active(), span), () => client.get('/traced'));
      span.end();
      const { traceId, spanId } = span.spanContext();
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceId).not.toBe('0'.repeat(32));
      // Flags 00: with no exporter a trace begun here is not sampled (tracing.ts); the ids still travel.
      expect(upstream.received[0]?.headers.traceparent).toBe(`00-${traceId}-${spanId}-00`);
      expect(propagation.fields()).toContain('traceparent');
    } finally {
      await tracing.shutdown();
    }
  });
});
