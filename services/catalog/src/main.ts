import { runMain } from '@tourkit/kit/main';

// runMain starts tracing first; the catalog (express, pg, ioredis) loads after it, so it is instrumented.
await runMain('catalog', async ({ onShutdown }) => {
  const { startCatalog } = await import('./server.js');
  return startCatalog({ onShutdown });
});
