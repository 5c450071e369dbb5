import { runMain } from '@tourkit/kit/main';

// runMain starts tracing first; the service (express, pg) loads after it, so it is instrumented.
await runMain('review', async ({ onShutdown }) => {
  const { startReview } = await import('./server.js');
  return startReview({ onShutdown });
});
