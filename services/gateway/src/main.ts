import { runMain } from '@tourkit/kit/main';

// runMain starts tracing first; the gateway (http, express, ioredis) loads after it, so it is instrumented.
await runMain('gateway', async ({ onShutdown }) => {
  const { startGateway } = await import('./server.js');
  return startGateway({ onShutdown });
});
