import { runMain } from '@tourkit/kit/main';

// runMain starts tracing first; the service (express, pg, ioredis) loads after it, so it is instrumented.
await runMain('notification', async ({ onShutdown }) => {
  const { startNotification } = await import('./server.js');
  return startNotification({ onShutdown });
});
