// Tracing must patch http, express and pg before they are first imported, hence the dynamic imports.
import { initTracing } from '@tourkit/kit/tracing';

const tracing = initTracing(process.env.SERVICE_NAME ?? 'user');
const { runService } = await import('@tourkit/kit');
const { startUserService } = await import('./server.js');

await runService(() => startUserService({ onShutdown: [() => tracing.shutdown()] }));
