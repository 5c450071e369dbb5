import { runMain } from '@tourkit/kit/main';

// runMain starts tracing first; the service (express, pg) loads after it, so it is instrumented.
await runMain('user', async ({ onShutdown }) => {
  const { startUserService } = await import('./server.js');
  return startUserService({ onShutdown });
});
