import { runMain } from '@tourkit/kit/main';

// runMain starts tracing first; express and the proxy load after it, so they are instrumented.
await runMain('web', async ({ onShutdown }) => {
  const { startWeb } = await import('./server.js');
  return startWeb({ onShutdown });
});
