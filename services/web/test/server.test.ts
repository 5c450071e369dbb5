// The web server on its own: the built app served with the right caching headers, deep links
// answered with the app, the e-mailed pay link turned into the app's page, readiness tied to the
// bundle, /v1 forwarded to the gateway, and the support relay only when it is configured.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createWebApp } from '../src/app.js';
import { loadWebConfig } from '../src/config.js';
import { CONTENT_SECURITY_POLICY } from '../src/http/static.js';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script></head></html>';
let staticDir: string;
let gateway: Server;
let gatewayUrl: string;
const seenByGateway: { method: string; url: string; authorization?: string; internal?: string }[] =
  [];

beforeAll(async () => {
  staticDir = mkdtempSync(path.join(tmpdir(), 'tourkit-web-static-'));
  mkdirSync(path.join(staticDir, 'assets'));
  writeFileSync(path.join(staticDir, 'index.html'), INDEX);
  writeFileSync(path.join(staticDir, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
  // A small real HTTP server in the gateway's place: it answers /readyz and echoes what it got.
  gateway = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/readyz') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"READY"}');
        return;
      }
      seenByGateway.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        internal: req.headers['x-internal-token'] as string | undefined,
      });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ echoed: body }));
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});

afterAll(async () => {
  rmSync(staticDir, { recursive: true, force: true });
  await new Promise<void>((resolve) => gateway.close(() => resolve()));
});

function app(extra: Record<string, string> = {}) {
  const config = loadWebConfig({
    STATIC_DIR: staticDir,
    GATEWAY_URL: gatewayUrl,
    LOG_LEVEL: 'silent',
    ...extra,
  });
  return createWebApp(config).app;
}

test('hashed assets are cached for a year, index.html is revalidated, both under the CSP', async () => {
  const asset = await request(app()).get('/assets/app-1a2b3c.js');
  expect(asset.status).toBe(200);
  expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(asset.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  const index = await request(app()).get('/index.html');
  expect(index.headers['cache-control']).toBe('no-cache');
});

test('a deep link asking for HTML gets the app; a missing asset is a 404 problem, not the app', async () => {
  const deep = await request(app()).get('/tours/5f0c').set('accept', 'text/html');
  expect(deep.status).toBe(200);
  expect(deep.text).toBe(INDEX);
  expect(deep.headers['cache-control']).toBe('no-cache');
  const missing = await request(app()).get('/assets/app-old.js').set('accept', 'text/html');
  expect(missing.status).toBe(404);
  expect(missing.headers['content-type']).toMatch(/problem\+json/);
});

test('the e-mailed pay link opens the app page for a person, and stays the API for a program', async () => {
  const id = '3f7a2b8e-1c1a-4c38-9a57-0c1f7f0c9d11';
  const person = await request(app())
    .get(`/v1/bookings/${id}/pay`)
    .set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
  expect(person.status).toBe(303);
  expect(person.headers.location).toBe(`/bookings/${id}/pay`);
  const program = await request(app())
    .get(`/v1/bookings/${id}/pay`)
    .set('accept', 'application/json');
  expect(program.status).toBe(200);
  expect(seenByGateway.at(-1)).toMatchObject({ method: 'GET', url: `/v1/bookings/${id}/pay` });
});

test('/v1 goes to the gateway unchanged with its token and body; an internal token never does', async () => {
  const answer = await request(app())
    .post('/v1/bookings/quote?x=1')
    .set('authorization', 'Bearer abc')
    .set('x-internal-token', 'smuggled-secret-0123456789')
    .send({ tourId: 't', travellers: 2 });
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body.echoed)).toEqual({ tourId: 't', travellers: 2 });
  expect(seenByGateway.at(-1)).toEqual({
    method: 'POST',
    url: '/v1/bookings/quote?x=1',
    authorization: 'Bearer abc',
    internal: undefined,
  });
});

test('the gateway unreachable: a 502 problem in words', async () => {
  const answer = await request(app({ GATEWAY_URL: 'http://127.0.0.1:9' })).get('/v1/tours');
  expect(answer.status).toBe(502);
  expect(answer.body).toMatchObject({
    title: 'Upstream unavailable',
    detail: 'The platform is unavailable.',
  });
});

test('readiness needs the bundle; the gateway down only degrades health', async () => {
  const ready = await request(app({ GATEWAY_URL: 'http://127.0.0.1:9' })).get('/readyz');
  expect(ready.status).toBe(200);
  const health = await request(app({ GATEWAY_URL: 'http://127.0.0.1:9' })).get('/health');
  expect(health.body.status).toBe('DEGRADED');
  expect(health.body.checks.gateway.status).toBe('DOWN');
  const empty = mkdtempSync(path.join(tmpdir(), 'tourkit-web-empty-'));
  try {
    const notReady = await request(app({ STATIC_DIR: empty })).get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body.checks.bundle.status).toBe('DOWN');
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('the support relay exists only with NOTIFICATION_URL and INTERNAL_TOKEN, and says so to the app', async () => {
  const without = app();
  expect((await request(without).get('/web-api/config')).body).toEqual({
    supportRelay: false,
    supportEmail: 'support@tourkit.dev',
  });
  expect((await request(without).post('/web-api/support').send({})).status).toBe(404);
  const withRelay = app({
    NOTIFICATION_URL: gatewayUrl,
    INTERNAL_TOKEN: 'internal-token-0123456789',
  });
  expect((await request(withRelay).get('/web-api/config')).body.supportRelay).toBe(true);
  const invalid = await request(withRelay)
    .post('/web-api/support')
    .set('authorization', 'Bearer abc')
    .send({ bookingId: 'not-a-uuid' });
  expect(invalid.status).toBe(400);
  expect(invalid.body.errors[0].field).toBe('bookingId');
});

test('a bad variable stops the start with its name', () => {
  expect(() => loadWebConfig({ GATEWAY_URL: 'not a url' })).toThrow(/GATEWAY_URL/);
});
