import http from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Express } from 'express';
import { createApp, bodyLimitBytes } from '../src/app.js';
import { HealthRegistry } from '../src/health.js';
import { createMetrics } from '../src/metrics.js';
import { proxyTo } from '../src/proxy.js';
import { startServer, type ServerHandle } from '../src/server.js';
import { unstorableTextFields } from '../src/storable-text.js';
import { memoryLogger } from './support/memory-logger.js';

// Regression tests for what the schema-driven fuzzer (e2e/test/fuzz.test.ts) found: inputs that
// answered 500 or a bare non-problem response, and the gateway's byte-for-byte streaming.

const { logger } = memoryLogger();

function app(routes: (app: Express) => void, extra: Partial<Parameters<typeof createApp>[0]> = {}) {
  return createApp({
    name: 'hostile-test',
    logger,
    metrics: createMetrics('hostile-test', { defaultMetrics: false }),
    health: new HealthRegistry(),
    bodyLimit: '1kb',
    routes,
    ...extra,
  });
}

const servers: ServerHandle[] = [];
async function listen(express: Express): Promise<ServerHandle> {
  const handle = await startServer(express, {
    port: 0,
    host: '127.0.0.1',
    logger,
    health: new HealthRegistry(),
    handleSignals: false,
  });
  servers.push(handle);
  return handle;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A request with bytes fetch would not send (a raw path, any body, any header). */
function send(
  url: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    /** An array is written chunk by chunk, as a body that streams. */
    body?: Buffer | Buffer[];
  },
): Promise<Raw> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        agent: false,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    if (Array.isArray(options.body)) {
      for (const chunk of options.body) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

/** Writes raw bytes on a socket and returns what comes back until the server closes. */
function rawExchange(url: string, bytes: Buffer): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

function problemOf(response: Raw) {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return JSON.parse(response.text) as { status: number; type: string; errors?: unknown };
}

describe('text PostgreSQL cannot store → 400 naming the field', () => {
  const echo = app((a) => {
    a.post('/echo', (req, res) => {
      res.json(req.body);
    });
    a.get('/search', (req, res) => {
      res.json(req.query);
    });
  });
  let url: string;
  beforeAll(async () => {
    url = (await listen(echo)).url;
  });

  test.each([
    ['NUL in a field', '{"name":"a\\u0000b"}', 'name'],
    ['a lone high surrogate', '{"name":"\\ud800"}', 'name'],
    ['a lone low surrogate, nested', '{"seasons":[{"name":"x\\udc00"}]}', 'seasons.0.name'],
    ['NUL in a key', '{"a\\u0000":1}', 'a\\u0000'],
  ])('%s', async (_what, body, field) => {
    const response = await send(url, {
      method: 'POST',
      path: '/echo',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(body),
    });
    expect(response.status).toBe(400);
    expect(problemOf(response)).toMatchObject({
      type: 'https://tourkit.dev/problems/validation-failed',
      errors: [{ field }],
    });
  });

  test('in the query string too', async () => {
    const response = await send(url, { path: '/search?destination=Par%00is' });
    expect(response.status).toBe(400);
    expect(problemOf(response)).toMatchObject({ errors: [{ field: 'destination' }] });
  });

  test('well-formed text passes: surrogate pairs, controls other than NUL, a deep body', async () => {
    const ok = await send(url, {
      method: 'POST',
      path: '/echo',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ name: '𝕏 🎉 é\t\u0001' })),
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ name: '𝕏 🎉 é\t\u0001' });
  });

  test('the walk does not recurse: 100,000 levels deep do not overflow the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(unstorableTextFields(deep)).toHaveLength(1);
  });
});

describe("Express's own 4xx errors are problems, not 500", () => {
  const routes = app((a) => {
    a.get('/tours/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    a.post('/tours', (req, res) => {
      res.json(req.body);
    });
  });
  let url: string;
  beforeAll(async () => {
    url = (await listen(routes)).url;
  });

  test.each(['%', '%FF', '%E2%82', '%ED%A0%80'])(
    'a path parameter that is not percent-encoded UTF-8 (%s) → 400',
    async (id) => {
      const response = await send(url, { path: `/tours/${id}` });
      expect(response.status).toBe(400);
      expect(problemOf(response).type).toBe('https://tourkit.dev/problems/bad-request');
    },
  );

  test.each(['gzip', 'deflate'])(
    'a body declared Content-Encoding: %s that is not → 400',
    async (encoding) => {
      const response = await send(url, {
        method: 'POST',
        path: '/tours',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: Buffer.from('{"a":1}'),
      });
      expect(response.status).toBe(400);
      expect(problemOf(response).status).toBe(400);
    },
  );

  test('a real gzip body is still read', async () => {
    const response = await send(url, {
      method: 'POST',
      path: '/tours',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync('{"a":1}'),
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ a: 1 });
  });
});

describe("requests Node's HTTP parser refuses → problem+json", () => {
  let url: string;
  beforeAll(async () => {
    url = (await listen(app(() => undefined))).url;
  });

  test('a byte outside ASCII in the URL → 400 problem', async () => {
    const answer = await rawExchange(
      url,
      Buffer.concat([
        Buffer.from('GET /v1/tours?q='),
        Buffer.from([0xe9]),
        Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
      ]),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 400,
      type: 'https://tourkit.dev/problems/bad-request',
    });
  });

  test('headers over the size limit → 431 problem', async () => {
    const response = await send(url, { path: `/v1/tours?q=${'a'.repeat(20_000)}` });
    expect(response.status).toBe(431);
    expect(problemOf(response)).toMatchObject({
      status: 431,
      type: 'https://tourkit.dev/problems/request-header-fields-too-large',
    });
  });
});

describe('proxyTo streams bodies byte for byte and counts them', () => {
  let upstreamUrl: string;
  let received: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }>;
  let upstream: http.Server;
  let edge: string;

  beforeAll(async () => {
    received = [];
    upstream = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const proxy = proxyTo({
      upstream: 'test upstream',
      target: upstreamUrl,
      timeoutMs: 5_000,
      logger,
      bodyLimitBytes: bodyLimitBytes('1kb'),
    });
    const gateway = app((a) => a.use('/v1', proxy), { bodies: 'stream' });
    edge = (await listen(gateway)).url;
  });
  afterAll(async () => {
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });
  beforeEach(() => {
    received = [];
  });

  test.each([
    ['invalid UTF-8 inside JSON', 'application/json', Buffer.from([0x7b, 0x22, 0xff, 0xc0, 0x22])],
    ['truncated JSON', 'application/json', Buffer.from('{"tourId":"ab')],
    [
      'JSON with spacing and key order of its own',
      'application/json',
      Buffer.from('{ "b" :1,"a":\n2 }'),
    ],
    ['a body that is not JSON', 'text/plain', Buffer.from('a=1&b=2')],
  ])('%s reaches the upstream unchanged', async (_what, contentType, body) => {
    const response = await send(edge, {
      method: 'POST',
      path: '/v1/bookings',
      headers: { 'content-type': contentType },
      body,
    });
    expect(response.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]!.body.equals(body)).toBe(true);
    expect(received[0]!.headers['content-type']).toBe(contentType);
  });

  test('a Content-Length over the limit → 413 problem, the upstream never called', async () => {
    const response = await send(edge, {
      method: 'POST',
      path: '/v1/bookings',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(1025, 0x20),
    });
    expect(response.status).toBe(413);
    expect(problemOf(response).type).toBe('https://tourkit.dev/problems/payload-too-large');
    expect(received).toHaveLength(0);
  });

  test('a chunked body is counted as it streams: over the limit → 413 problem', async () => {
    const response = await send(edge, {
      method: 'POST',
      path: '/v1/bookings',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: Array.from({ length: 5 }, () => Buffer.alloc(400, 0x20)),
    });
    expect(response.status).toBe(413);
    expect(problemOf(response).status).toBe(413);
    // Whatever the upstream got before the cut, it never got the whole body.
    expect(received.every((r) => r.body.length <= 1024)).toBe(true);
  });

  test('a chunked body within the limit streams through whole', async () => {
    const response = await send(edge, {
      method: 'POST',
      path: '/v1/bookings',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: Buffer.from('{"travellers":2}'),
    });
    expect(response.status).toBe(200);
    expect(received[0]!.body.toString()).toBe('{"travellers":2}');
  });
});

describe('bodyLimitBytes', () => {
  test.each([
    ['100kb', 102_400],
    ['1mb', 1_048_576],
    ['512', 512],
    [' 2 KB ', 2_048],
    [300, 300],
  ] as const)('%j → %d bytes', (limit, bytes) => {
    expect(bodyLimitBytes(limit)).toBe(bytes);
  });

  test('anything else is refused', () => {
    expect(() => bodyLimitBytes('lots')).toThrow(/not a size/);
  });
});
