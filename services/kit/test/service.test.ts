import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { z } from 'zod';
import { createApp } from '../src/app.js';
import { databaseConfigShape, defineConfig, loadConfig } from '../src/config.js';
import { HealthRegistry } from '../src/health.js';
import { createServiceClient } from '../src/http-client.js';
import type { Closer } from '../src/server.js';
import { createServiceBase, createServicePool, serveService } from '../src/service.js';
import {
  closedPort,
  createTestDatabase,
  dropTestDatabase,
  testDatabaseName,
} from '../src/testing.js';
import { registerUpstreamHealth } from '../src/upstream-health.js';
import { memoryLogger } from './support/memory-logger.js';

const migrationsDir = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'migrations',
);
const widgetsConfig = defineConfig({
  SERVICE_NAME: z.string().default('widgets'),
  ...databaseConfigShape(),
});

function configFor(databaseUrl: string, extra: Record<string, string> = {}) {
  return loadConfig(widgetsConfig, {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: 'silent',
    DB_POOL_MAX: '3',
    ...extra,
  });
}

/** A small service built the way the real ones are: base, pool, app, closers. */
function widgetService(config: ReturnType<typeof configFor>, events: string[] = []) {
  const base = createServiceBase(config, { logger: memoryLogger().logger });
  const pool = createServicePool(base, config);
  const app = createApp({
    ...base,
    routes: (app: Express) => {
      app.get('/widgets/count', async (_req, res) => {
        const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM widgets');
        res.json({ count: rows[0]!.n });
      });
    },
  });
  const closers: Closer[] = [
    () => void events.push('relay'),
    {
      end: async () => {
        events.push('pool');
        await pool.end();
      },
    },
  ];
  return { ...base, pool, app, closers };
}

describe('createServiceBase', () => {
  it('names the metrics and health after SERVICE_NAME and keeps a given logger', () => {
    const { logger } = memoryLogger();
    const base = createServiceBase(loadConfig(defineConfig({}), { SERVICE_NAME: 'review' }), {
      logger,
    });
    expect(base.name).toBe('review');
    expect(base.logger).toBe(logger);
    expect(base.metrics.service).toBe('review');
    expect(base.health).toBeInstanceOf(HealthRegistry);
  });

  it('makes a logger at LOG_LEVEL when none is given', () => {
    const base = createServiceBase(loadConfig(defineConfig({}), { LOG_LEVEL: 'warn' }));
    expect(base.logger.level).toBe('warn');
  });
});

describe('createServicePool and serveService (real Postgres)', () => {
  const databases = ['kit_service', 'kit_service_unmigrated'];
  let migratedUrl: string;
  let unmigratedUrl: string;

  beforeAll(async () => {
    [migratedUrl, unmigratedUrl] = (await Promise.all(databases.map(createTestDatabase))) as [
      string,
      string,
    ];
  });

  afterAll(async () => {
    await Promise.all(databases.map(dropTestDatabase));
  });

  it('pools DATABASE_URL with DB_POOL_MAX connections and a critical db check', async () => {
    const config = configFor(migratedUrl);
    const base = createServiceBase(config, { logger: memoryLogger().logger });
    const pool = createServicePool(base, config);
    try {
      expect(pool.options.max).toBe(3);
      const { rows } = await pool.query<{ database: string }>(
        'SELECT current_database() AS database',
      );
      expect(rows[0]!.database).toBe(testDatabaseName('kit_service'));
      const report = await base.health.report();
      expect(report.checks.db).toMatchObject({ status: 'UP', critical: true });
    } finally {
      await pool.end();
    }
  });

  it('migrates, runs beforeListen, serves, and closes its closers then onShutdown in order', async () => {
    const events: string[] = [];
    const config = configFor(migratedUrl);
    const service = widgetService(config, events);
    const handle = await serveService(service, config, {
      handleSignals: false,
      migrationsDir,
      beforeListen: async () => {
        await service.pool.query("INSERT INTO widgets (name) VALUES ('demo')");
        events.push('demo data');
      },
      onShutdown: [() => void events.push('tracing')],
    });
    try {
      const response = await fetch(`${handle.url}/widgets/count`);
      expect(await response.json()).toEqual({ count: 1 });
      expect((await fetch(`${handle.url}/readyz`)).status).toBe(200);
    } finally {
      await handle.close();
    }
    expect(events).toEqual(['demo data', 'relay', 'pool', 'tracing']);
  });

  it('leaves the schema alone when RUN_MIGRATIONS is off', async () => {
    const config = configFor(unmigratedUrl, { RUN_MIGRATIONS: 'false' });
    const service = widgetService(config);
    let widgetsTable: unknown = 'not checked';
    const handle = await serveService(service, config, {
      handleSignals: false,
      migrationsDir,
      beforeListen: async () => {
        const { rows } = await service.pool.query("SELECT to_regclass('widgets') AS t");
        widgetsTable = rows[0].t;
      },
    });
    await handle.close();
    expect(widgetsTable).toBeNull();
  });

  it('closes the closers and rethrows when a step before listening fails', async () => {
    const events: string[] = [];
    const config = configFor(migratedUrl);
    const service = widgetService(config, events);
    await expect(
      serveService(service, config, {
        handleSignals: false,
        beforeListen: () => {
          throw new Error('demo data failed');
        },
        onShutdown: [() => void events.push('tracing')],
      }),
    ).rejects.toThrow('demo data failed');
    expect(events).toEqual(['relay', 'pool']);
    expect(service.pool.ended).toBe(true);
  });

  it('refuses migrationsDir when the config has no DATABASE_URL', async () => {
    const config = loadConfig(defineConfig({}), { PORT: '0' });
    const base = createServiceBase(config, { logger: memoryLogger().logger });
    await expect(
      serveService({ ...base, app: createApp(base), closers: [] }, config, {
        handleSignals: false,
        migrationsDir,
      }),
    ).rejects.toThrow('migrationsDir needs DATABASE_URL');
  });
});

describe('registerUpstreamHealth (real HTTP upstreams)', () => {
  let upstream: Server;
  let upstreamUrl: string;
  let deadUrl: string;
  const probes: string[] = [];

  beforeAll(async () => {
    // Alive but not ready: /livez 200, /readyz 503.
    upstream = createServer((req, res) => {
      probes.push(req.url ?? '');
      res.writeHead(req.url === '/livez' ? 200 : 503, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    deadUrl = `http://127.0.0.1:${await closedPort()}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  const clients = () => [
    createServiceClient({ name: 'catalog', baseUrl: upstreamUrl, retries: 0 }),
    createServiceClient({ name: 'booking', baseUrl: deadUrl, retries: 0 }),
  ];

  it('checks each client by name on /livez; a non-critical upstream down only degrades', async () => {
    const health = new HealthRegistry();
    registerUpstreamHealth(health, clients(), { critical: false });
    const { ready, report } = await health.readiness();
    expect(report.status).toBe('DEGRADED');
    expect(report.checks.catalog).toMatchObject({ status: 'UP', critical: false });
    expect(report.checks.booking).toMatchObject({ status: 'DOWN', critical: false });
    expect(ready).toBe(true);
  });

  it('probes /readyz when asked, and a critical upstream down makes the service not ready', async () => {
    const health = new HealthRegistry();
    registerUpstreamHealth(health, clients().slice(0, 1), { critical: true, path: '/readyz' });
    const { ready, report } = await health.readiness();
    expect(report.checks.catalog).toMatchObject({ status: 'DOWN', critical: true });
    expect(ready).toBe(false);
  });

  it('asks a failing upstream once per probe, without retry warnings, whatever the client retries', async () => {
    const { logger, lines } = memoryLogger();
    const health = new HealthRegistry();
    const client = createServiceClient({ name: 'catalog', baseUrl: upstreamUrl, logger });
    registerUpstreamHealth(health, [client], { critical: true, path: '/readyz' });
    probes.length = 0;
    const { report } = await health.readiness();
    expect(report.checks.catalog).toMatchObject({ status: 'DOWN' });
    expect(probes).toEqual(['/readyz']);
    expect(lines().filter((line) => line.msg === 'retrying upstream call')).toEqual([]);
  });
});
