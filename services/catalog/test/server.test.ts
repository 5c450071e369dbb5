import { randomUUID } from 'node:crypto';
import { createTestAuth, createTestDatabase, testRedisUrl } from '@tourkit/kit/testing';
import { startCatalog } from '../src/server.js';
import { INTERNAL_TOKEN } from '../src/testing.js';

describe('start-up', () => {
  it('migrates, loads the demo data, serves, reports ready, and shuts down cleanly', async () => {
    const closed: string[] = [];
    const handle = await startCatalog({
      environment: {
        PORT: '0',
        LOG_LEVEL: 'silent',
        DATABASE_URL: await createTestDatabase('catalog_server'),
        REDIS_URL: testRedisUrl(),
        CACHE_PREFIX: `catalog-server-test:${randomUUID()}:`,
        JWT_PUBLIC_KEY: createTestAuth().publicKeyPem,
        INTERNAL_TOKEN,
        SEED_DEMO_DATA: 'true',
      },
      onShutdown: [() => void closed.push('tracing')],
      handleSignals: false,
    });
    try {
      expect((await fetch(`${handle.url}/readyz`)).status).toBe(200);
      const tours = (await (await fetch(`${handle.url}/v1/tours`)).json()) as { total: number };
      expect(tours.total).toBeGreaterThan(0);
    } finally {
      await handle.close();
    }
    expect(closed).toEqual(['tracing']);
    await expect(fetch(`${handle.url}/livez`)).rejects.toThrow();
  });
});
