import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from '../src/app.js';
import { conflict } from '../src/errors.js';
import { HealthRegistry } from '../src/health.js';
import { createMetrics } from '../src/metrics.js';
import { parseBody, parseParams, parseQuery } from '../src/validation.js';
import { memoryLogger } from './support/memory-logger.js';
import type { Express, Request, Response } from 'express';

function buildApp() {
  const { logger, lines } = memoryLogger();
  const metrics = createMetrics('tours-test', { defaultMetrics: false });
  const health = new HealthRegistry();
  const tours = express.Router();
  tours.get('/:id', (req, res) => {
    const { id } = parseParams(req, z.object({ id: z.coerce.number().int().positive() }));
    res.json({ id });
  });
  tours.post('/', (req, res) => {
    const body = parseBody(
      req,
      z.object({ destination: z.string().min(1), capacity: z.number().int().positive() }),
    );
    res.status(201).json(body);
  });
  tours.get('/', (req, res) => {
    const query = parseQuery(req, z.object({ page: z.coerce.number().int().min(1).default(1) }));
    res.json(query);
  });
  const app = createApp({
    name: 'tours-test',
    logger,
    metrics,
    health,
    bodyLimit: '1kb',
    routes: (app: Express) => {
      app.use('/v1/tours', tours);
      app.get('/boom', () => {
        throw new Error('secret connection string postgres://admin:pw@db');
      });
      app.get('/async-conflict', async () => {
        await Promise.resolve();
        throw conflict('Already booked.');
      });
    },
  });
  return { app, metrics, lines };
}

describe('createApp', () => {
  it('serves the routes and echoes or creates x-request-id', async () => {
    const { app } = buildApp();
    const given = await request(app).get('/v1/tours/7').set('x-request-id', 'abc-123');
    expect(given.status).toBe(200);
    expect(given.body).toEqual({ id: 7 });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const created = await request(app).get('/v1/tours/7');
    expect(created.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 400 problem+json naming each bad body field, and nothing reaches the handler', async () => {
    const { app } = buildApp();
    const res = await request(app).post('/v1/tours').send({ destination: '', capacity: 'ten' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('https://tourkit.dev/problems/validation-failed');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'capacity',
      'destination',
    ]);
  });

  it('validates params and query', async () => {
    const { app } = buildApp();
    const params = await request(app).get('/v1/tours/abc');
    expect(params.status).toBe(400);
    expect(params.body.errors[0].field).toBe('id');
    const query = await request(app).get('/v1/tours?page=0');
    expect(query.status).toBe(400);
    expect(query.body.errors[0].field).toBe('page');
  });

  it('answers 413 problem+json when the body is over the limit', async () => {
    const { app } = buildApp();
    const res = await request(app)
      .post('/v1/tours')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ destination: 'x'.repeat(2000), capacity: 1 }));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://tourkit.dev/problems/payload-too-large',
      status: 413,
    });
  });

  it('answers 400 malformed-json for a broken body', async () => {
    const { app } = buildApp();
    const res = await request(app)
      .post('/v1/tours')
      .set('content-type', 'application/json')
      .send('{"destination":');
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('https://tourkit.dev/problems/malformed-json');
  });

  it('answers 404 problem+json for unknown routes', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ type: 'https://tourkit.dev/problems/not-found', status: 404 });
  });

  it('renders problems thrown by async handlers', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/async-conflict');
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe('Already booked.');
  });

  it('never leaks an unexpected error to the client, but logs it with the request id', async () => {
    const { app, lines } = buildApp();
    const res = await request(app).get('/boom').set('x-request-id', 'req-boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      type: 'https://tourkit.dev/problems/internal-error',
      title: 'Internal server error',
      status: 500,
      detail: 'An unexpected error occurred. It has been logged.',
    });
    expect(res.text).not.toMatch(/postgres:|stack|at /);
    const logged = lines().filter((line) => line.requestId === 'req-boom');
    expect(
      logged.some((line) => JSON.stringify(line.err).includes('secret connection string')),
    ).toBe(true);
  });

  it('logs each request with its request id and the trace id from traceparent', async () => {
    const { app, lines } = buildApp();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await request(app)
      .get('/v1/tours/3')
      .set('x-request-id', 'req-log')
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`);
    const completed = lines().find(
      (line) => line.requestId === 'req-log' && line.msg === 'request completed',
    );
    expect(completed).toMatchObject({ requestId: 'req-log', traceId, res: { statusCode: 200 } });
  });

  it('writes one access line per request: method, url, status, time; a 5xx with its error; probes left out', async () => {
    const { app, lines } = buildApp();
    await request(app).get('/v1/tours/3?expand=1').set('x-request-id', 'req-line');
    await request(app).get('/livez').set('x-request-id', 'req-probe');
    await request(app).get('/boom').set('x-request-id', 'req-boom-line');
    const ok = lines().filter((line) => line.requestId === 'req-line');
    expect(ok).toHaveLength(1);
    expect(ok[0]).toMatchObject({
      level: 'info',
      msg: 'request completed',
      req: { method: 'GET', url: '/v1/tours/3?expand=1' },
      res: { statusCode: 200 },
    });
    expect(typeof ok[0]!.responseTime).toBe('number');
    expect(lines().filter((line) => line.requestId === 'req-probe')).toEqual([]);
    const failed = lines().filter((line) => line.requestId === 'req-boom-line');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      level: 'error',
      msg: 'request errored',
      res: { statusCode: 500 },
      err: { message: 'secret connection string postgres://admin:pw@db' },
    });
  });

  it('adds the request ids to lines logged far from req, once per line', async () => {
    const { logger, lines, raw } = memoryLogger();
    const app = createApp({
      name: 'ids',
      logger,
      metrics: createMetrics('ids', { defaultMetrics: false }),
      health: new HealthRegistry(),
      routes: (app: Express) =>
        app.get('/deep', async (_req: Request, res: Response) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          logger.info('from a repository');
          res.json({});
        }),
    });
    await request(app).get('/deep').set('x-request-id', 'req-deep');
    const logged = lines().filter((line) => line.requestId === 'req-deep');
    expect(logged.map((line) => line.msg)).toEqual(['from a repository', 'request completed']);
    const completion = raw().find(
      (line) => line.includes('req-deep') && line.includes('completed'),
    );
    expect(completion?.match(/"requestId"/g)).toHaveLength(1);
  });

  it('logs a 413 with its request id', async () => {
    const { app, lines } = buildApp();
    await request(app)
      .post('/v1/tours')
      .set('x-request-id', 'req-413')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ destination: 'x'.repeat(2000), capacity: 1 }));
    expect(lines().find((line) => line.requestId === 'req-413')).toMatchObject({
      res: { statusCode: 413 },
    });
  });

  it('counts RED metrics by route pattern, never by raw URL', async () => {
    const { app } = buildApp();
    await request(app).get('/v1/tours/1');
    await request(app).get('/v1/tours/2');
    await request(app).get('/v1/tours/abc');
    await request(app).get('/random/path/123');
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain(
      'http_requests_total{service="tours-test",route="/v1/tours/:id",method="GET",status="200"} 2',
    );
    expect(res.text).toContain(
      'http_requests_total{service="tours-test",route="/v1/tours/:id",method="GET",status="400"} 1',
    );
    expect(res.text).toContain('route="unmatched",method="GET",status="404"} 1');
    expect(res.text).not.toContain('/v1/tours/1"');
    expect(res.text).not.toContain('/random/path');
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/v1\/tours\/:id"/);
  });

  it('lets services register domain metrics on the same registry', async () => {
    const { app, metrics } = buildApp();
    metrics
      .counter({ name: 'bookings_total', help: 'Bookings by status', labelNames: ['status'] })
      .inc({ status: 'CONFIRMED' });
    const again = metrics.counter({
      name: 'bookings_total',
      help: 'Bookings by status',
      labelNames: ['status'],
    });
    again.inc({ status: 'CONFIRMED' });
    const res = await request(app).get('/metrics');
    expect(res.text).toContain('bookings_total{status="CONFIRMED"} 2');
  });
});

describe('createApp openapiPath', () => {
  const appServing = (openapiPath?: string) =>
    createApp({
      name: 'openapi-test',
      logger: memoryLogger().logger,
      metrics: createMetrics('openapi-test', { defaultMetrics: false }),
      health: new HealthRegistry(),
      ...(openapiPath === undefined ? {} : { openapiPath }),
    });

  it('serves the service document at /openapi.yaml as YAML', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kit-openapi-'));
    const file = path.join(dir, 'openapi.yaml');
    writeFileSync(file, 'openapi: 3.1.0\ninfo: { title: widgets, version: 1.0.0 }\n');
    const response = await request(appServing(file)).get('/openapi.yaml');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/yaml/);
    expect(response.text).toBe('openapi: 3.1.0\ninfo: { title: widgets, version: 1.0.0 }\n');
  });

  it('answers 404 without a document, and refuses to build with a missing file', async () => {
    expect((await request(appServing()).get('/openapi.yaml')).status).toBe(404);
    expect(() => appServing(path.join(tmpdir(), 'no-such-dir', 'openapi.yaml'))).toThrow(/ENOENT/);
  });
});
