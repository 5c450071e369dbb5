import type { Express } from 'express';
import { createApp } from '../src/app.js';
import { HealthRegistry } from '../src/health.js';
import { createMetrics } from '../src/metrics.js';
import { listenForTests } from '../src/testing.js';
import { memoryLogger } from './support/memory-logger.js';

function pingApp(health: HealthRegistry): Express {
  return createApp({
    name: 'ping',
    logger: memoryLogger().logger,
    metrics: createMetrics('ping', { defaultMetrics: false }),
    health,
    routes: (app: Express) => {
      app.get('/ping', (_req, res) => {
        res.json({ pong: true });
      });
    },
  });
}

describe('listenForTests', () => {
  it('serves on 127.0.0.1, and close() stops the server then runs onShutdown', async () => {
    const closed: string[] = [];
    const handle = await listenForTests(pingApp(new HealthRegistry()), {
      onShutdown: [() => void closed.push('pool')],
    });
    expect(handle.url).toBe(`http://127.0.0.1:${handle.port}`);
    expect(await (await fetch(`${handle.url}/ping`)).json()).toEqual({ pong: true });
    await handle.close();
    expect(closed).toEqual(['pool']);
    await expect(fetch(`${handle.url}/ping`)).rejects.toThrow();
  });

  it('listens again on the port it is given, as a restarted service would', async () => {
    const app = pingApp(new HealthRegistry());
    const first = await listenForTests(app);
    await first.close();
    const second = await listenForTests(app, { port: first.port });
    try {
      expect(second.port).toBe(first.port);
      expect((await fetch(`${second.url}/ping`)).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
