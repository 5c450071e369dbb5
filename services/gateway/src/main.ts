import { initTracing } from '@tourkit/kit/tracing';

// Tracing first: it patches http, express and ioredis only if they load after it.
const tracing = initTracing(process.env.SERVICE_NAME ?? 'gateway');
const { runService, startServer } = await import('@tourkit/kit');
const { loadGatewayConfig } = await import('./config.js');
const { createGatewayApp } = await import('./app.js');

await runService(async () => {
  const config = loadGatewayConfig();
  const gateway = await createGatewayApp(config);
  return startServer(gateway.app, {
    port: config.PORT,
    logger: gateway.logger,
    health: gateway.health,
    drainSeconds: config.SHUTDOWN_DRAIN_SECONDS,
    shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
    onShutdown: [...gateway.closers, () => tracing.shutdown()],
  });
});
