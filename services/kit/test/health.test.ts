import request from 'supertest';
import { createApp } from '../src/app.js';
import { createCache } from '../src/cache.js';
import { HealthRegistry, overallStatus } from '../src/health.js';
import { createMetrics } from '../src/metrics.js';
import { closedPort, testRedisUrl } from '../src/testing.js';
import { memoryLogger } from './support/memory-logger.js';

describe('overallStatus', () => {
  it.each([
    [[], 'UP'],
    [
      [
        { status: 'UP', critical: true },
        { status: 'UP', critical: false },
      ],
      'UP',
    ],
    [
      [
        { status: 'UP', critical: true },
        { status: 'DOWN', critical: false },
      ],
      'DEGRADED',
    ],
    [
      [
        { status: 'DOWN', critical: true },
        { status: 'DOWN', critical: false },
      ],
      'DOWN',
    ],
    [
      [
        { status: 'DOWN', critical: true },
        { status: 'UP', critical: false },
      ],
      'DOWN',
    ],
  ] as const)('%j → %s', (results, expected) => {
    expect(overallStatus(results)).toBe(expected);
  });
});

describe('health endpoints', () => {
  function appWith(health: HealthRegistry) {
    return createApp({
      name: 'health-test',
      logger: memoryLogger().logger,
      metrics: createMetrics('health-test', { defaultMetrics: false }),
      health,
    });
  }

  it('UP → DEGRADED (real Redis unreachable) → DOWN (critical dependency fails)', async () => {
    let databaseUp = true;
    const health = new HealthRegistry();
    health.register(
      'db',
      () => {
        if (!databaseUp) throw new Error('connection refused');
      },
      { critical: true },
    );
    const liveCache = createCache(testRedisUrl(), {
      prefix: 'health-test:',
      health,
      healthCheckName: 'cache',
    });
    const deadCache = createCache(`redis://127.0.0.1:${await closedPort()}`, {
      prefix: 'health-test:',
      health,
      healthCheckName: 'payment-cache',
    });
    const app = appWith(health);
    try {
      health.unregister('payment-cache');
      expect(await liveCache.ready()).toBe(true);
      const up = await request(app).get('/health');
      expect(up.status).toBe(200);
      expect(up.body.status).toBe('UP');
      expect(up.body.checks.db).toMatchObject({ status: 'UP', critical: true });
      expect(typeof up.body.checks.db.latencyMs).toBe('number');

      health.register('payment-cache', () => deadCache.redis.ping(), { critical: false });
      const degraded = await request(app).get('/health');
      expect(degraded.status).toBe(200);
      expect(degraded.body.status).toBe('DEGRADED');
      expect(degraded.body.checks['payment-cache']).toMatchObject({
        status: 'DOWN',
        critical: false,
      });
      expect(degraded.body.checks['payment-cache'].error).toEqual(expect.any(String));
      expect((await request(app).get('/readyz')).status).toBe(200);

      databaseUp = false;
      const down = await request(app).get('/health');
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('DOWN');
      expect(down.body.checks.db).toMatchObject({
        status: 'DOWN',
        critical: true,
        error: 'connection refused',
      });
      expect((await request(app).get('/readyz')).status).toBe(503);
      expect((await request(app).get('/livez')).status).toBe(200);
    } finally {
      await liveCache.close();
      await deadCache.close();
    }
  });

  it('a check that hangs is reported DOWN after its timeout', async () => {
    const health = new HealthRegistry();
    health.register('slow', () => new Promise(() => undefined), { critical: true, timeoutMs: 50 });
    const report = await health.report();
    expect(report.checks.slow).toMatchObject({ status: 'DOWN', error: 'timed out after 50 ms' });
  });

  it('readyz fails once shutting down, while livez stays 200', async () => {
    const health = new HealthRegistry();
    const app = appWith(health);
    expect((await request(app).get('/readyz')).status).toBe(200);
    health.markShuttingDown();
    const readyz = await request(app).get('/readyz');
    expect(readyz.status).toBe(503);
    expect(readyz.body).toMatchObject({ status: 'NOT_READY', shuttingDown: true });
    expect((await request(app).get('/livez')).status).toBe(200);
  });
});
