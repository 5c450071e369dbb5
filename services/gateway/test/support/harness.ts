import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@tourkit/kit';
import {
  createTestAuth,
  dropTestDatabase,
  listenForTests,
  testRedisUrl,
  type TestAuth,
} from '@tourkit/kit/testing';
// The real catalog and user services, in-process on their own test databases.
import { migratedTestDatabase, startTestCatalog, type CatalogApp } from '@tourkit/catalog/testing';
import { startTestUser } from '@tourkit/user/testing';
import { createGatewayApp, type GatewayApp } from '../../src/app.js';
import { loadGatewayConfig } from '../../src/config.js';

export const INTERNAL_TOKEN = 'gateway-test-internal-token';
const logger = createLogger('gateway-test', 'silent');

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP upstream that answers 200 with what it received, and records it. */
export interface EchoUpstream {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startEchoUpstream(name: string): Promise<EchoUpstream> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ upstream: name, ...recorded }));
    });
  });
  return { ...(await listen(server)), requests };
}

/** A real HTTP upstream that accepts connections and never answers. */
export async function startSilentUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  return listen(createServer(() => undefined));
}

async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RealServices {
  auth: TestAuth;
  catalogUrl: string;
  userUrl: string;
  catalog: CatalogApp;
  close(): Promise<void>;
}

/** The real catalog and user apps, listening, on `tourkit_<name>_{catalog,user}_test`. */
export async function startRealServices(name: string): Promise<RealServices> {
  const auth = createTestAuth();
  const catalogDb = `${name}_catalog`;
  const catalog = await startTestCatalog(await migratedTestDatabase(catalogDb), {
    auth,
    env: { INTERNAL_TOKEN },
    logger,
  });

  const userDb = `${name}_user`;
  const { user } = await startTestUser(userDb, { auth, env: { INTERNAL_TOKEN }, logger });
  const userServer = await listenForTests(user.app, {
    health: user.health,
    logger,
    onShutdown: user.closers,
  });

  return {
    auth,
    catalog,
    catalogUrl: catalog.url,
    userUrl: userServer.url,
    async close() {
      await catalog.stop();
      await userServer.close();
      await dropTestDatabase(catalogDb);
      await dropTestDatabase(userDb);
    },
  };
}

export interface TestGateway {
  gateway: GatewayApp;
  url: string;
  close(): Promise<void>;
}

/** A listening gateway with its own rate-limit prefix in the real Redis. */
export async function startGateway(
  auth: TestAuth,
  env: Record<string, string>,
): Promise<TestGateway> {
  const gateway = await createGatewayApp(
    loadGatewayConfig({
      JWT_PUBLIC_KEY: auth.publicKeyPem,
      REDIS_URL: testRedisUrl(),
      RATE_LIMIT_PREFIX: `gateway-test:${randomUUID()}:`,
      LOG_LEVEL: 'silent',
      ...env,
    }),
    { logger },
  );
  if (!env.REDIS_URL && !(await gateway.cache.ready(5000)))
    throw new Error('test Redis is not reachable');
  const server = await listenForTests(gateway.app, { health: gateway.health, logger });
  return {
    gateway,
    url: server.url,
    async close() {
      await server.close();
      await gateway.close();
    },
  };
}
