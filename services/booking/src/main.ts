import { runMain } from '@tourkit/kit/main';

// runMain starts tracing first; the service (express, pg, ioredis) loads after it, so it is instrumented.
await runMain('booking', async ({ onShutdown }) => {
  const { startBooking } = await import('./server.js');
  return startBooking({ onShutdown });
});
