import http from 'node:http';
import { createApp } from '../src/app.js';
import { HealthRegistry } from '../src/health.js';
import { createMetrics } from '../src/metrics.js';
import { defineConfig, loadConfig } from '../src/config.js';
import { closeAll, serverOptions, startServer } from '../src/server.js';
import { memoryLogger } from './support/memory-logger.js';
import type { Express, Request, Response } from 'express';

function get(
  url: string,
  agent?: http.Agent,
): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }),
        );
      })
      .on('error', reject);
  });
}

async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  attempts = 100,
): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await probe();
    if (accept(value) || i >= attempts) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('startServer graceful shutdown', () => {
  it('fails readiness, refuses new connections, finishes the in-flight request, then runs closers', async () => {
    const { logger } = memoryLogger();
    const health = new HealthRegistry();
    const events: string[] = [];
    let releaseSlow!: () => void;
    const slowReleased = new Promise<void>((resolve) => (releaseSlow = resolve));
    let slowStarted!: () => void;
    const slowArrived = new Promise<void>((resolve) => (slowStarted = resolve));

    const app = createApp({
      name: 'shutdown-test',
      logger,
      metrics: createMetrics('shutdown-test', { defaultMetrics: false }),
      health,
      routes: (app: Express) => {
        app.get('/slow', async (_req: Request, res: Response) => {
          slowStarted();
          await slowReleased;
          events.push('slow finished');
          res.json({ done: true });
        });
        app.get('/fast', (_req: Request, res: Response) => {
          res.json({ ok: true });
        });
      },
    });
    const handle = await startServer(app, {
      port: 0,
      host: '127.0.0.1',
      logger,
      health,
      handleSignals: false,
      drainSeconds: 0.3,
      onShutdown: [
        () => void events.push('pool closed'),
        { close: () => void events.push('redis closed') },
      ],
    });

    // An idle keep-alive connection must not hold the shutdown open.
    const keepAlive = new http.Agent({ keepAlive: true });
    expect((await get(`${handle.url}/fast`, keepAlive)).status).toBe(200);

    const inFlight = get(`${handle.url}/slow`);
    await slowArrived;

    const closed = handle.close();
    expect(health.isShuttingDown).toBe(true);
    const readyz = await get(`${handle.url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(readyz.connection).toBe('close');

    const refused = await eventually(
      () =>
        get(`${handle.url}/fast`).then(
          () => 'accepted',
          (error: NodeJS.ErrnoException) => error.code ?? 'error',
        ),
      (outcome) => outcome === 'ECONNREFUSED',
    );
    expect(refused).toBe('ECONNREFUSED');
    expect(events).toEqual([]);

    releaseSlow();
    const slow = await inFlight;
    expect(slow.status).toBe(200);
    expect(JSON.parse(slow.body)).toEqual({ done: true });

    await closed;
    expect(events).toEqual(['slow finished', 'pool closed', 'redis closed']);
    keepAlive.destroy();
  });

  it('close() is idempotent and a closer that fails does not stop the others', async () => {
    const { logger } = memoryLogger();
    const health = new HealthRegistry();
    const closed: string[] = [];
    const app = createApp({
      name: 't',
      logger,
      metrics: createMetrics('t', { defaultMetrics: false }),
      health,
    });
    const handle = await startServer(app, {
      port: 0,
      host: '127.0.0.1',
      logger,
      health,
      handleSignals: false,
      onShutdown: [
        () => {
          throw new Error('already closed');
        },
        { end: async () => void closed.push('pool') },
      ],
    });
    await Promise.all([handle.close(), handle.close()]);
    expect(closed).toEqual(['pool']);
  });
});

describe('serverOptions', () => {
  it('takes the port and shutdown timings from a loaded config', () => {
    const config = loadConfig(defineConfig({}), {
      PORT: '9090',
      SHUTDOWN_DRAIN_SECONDS: '5',
      SHUTDOWN_TIMEOUT_SECONDS: '40',
    });
    expect(serverOptions(config)).toEqual({
      host: '0.0.0.0',
      port: 9090,
      drainSeconds: 5,
      shutdownTimeoutSeconds: 40,
    });
  });

  it('listens on HOST: 127.0.0.1 (make dev) binds the loopback interface only', async () => {
    const config = loadConfig(defineConfig({}), { HOST: '127.0.0.1', PORT: '0' });
    const app = createApp({
      name: 'host-test',
      logger: memoryLogger().logger,
      metrics: createMetrics('host-test', { defaultMetrics: false }),
      health: new HealthRegistry(),
    });
    const handle = await startServer(app, {
      ...serverOptions(config),
      logger: memoryLogger().logger,
      health: new HealthRegistry(),
      handleSignals: false,
    });
    try {
      expect(handle.server.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
      expect((await get(`${handle.url}/livez`)).status).toBe(200);
    } finally {
      await handle.close();
    }
  });

  it('refuses a HOST that is not an address, naming it', () => {
    expect(() => loadConfig(defineConfig({}), { HOST: 'my laptop' })).toThrow(/HOST/);
  });
});

describe('closeAll', () => {
  it('closes every closer in order, even after one fails, then rejects with the first failure', async () => {
    const closed: string[] = [];
    const closing = closeAll([
      () => void closed.push('worker'),
      {
        close: () => {
          throw new Error('cache already closed');
        },
      },
      { end: async () => void closed.push('pool') },
    ]);
    await expect(closing).rejects.toThrow('cache already closed');
    expect(closed).toEqual(['worker', 'pool']);
  });

  it('hands failures to onError and resolves when one is given', async () => {
    const failures: unknown[] = [];
    await closeAll(
      [() => Promise.reject(new Error('first')), () => Promise.reject(new Error('second'))],
      { onError: (error) => failures.push(error) },
    );
    expect(failures.map((error) => (error as Error).message)).toEqual(['first', 'second']);
  });
});
