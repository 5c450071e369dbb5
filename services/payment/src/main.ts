import { runMain } from '@tourkit/kit/main';

// runMain starts tracing first; the service (express, pg) loads after it, so it is instrumented.
await runMain('payment', async ({ onShutdown }) => {
  const { startPayment } = await import('./server.js');
  return startPayment({ onShutdown });
});
