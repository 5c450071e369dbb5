// A service's entry point. This module loads only tracing (no express, pg or ioredis), so that
// OpenTelemetry is in place before the service's own modules load them: the right order is the easy one.
import type { Closer } from './server.js';
import { initTracing, type TracingOptions } from './tracing.js';

export interface MainContext {
  /** Closers the service must pass to `startServer({ onShutdown })` after its own (tracing flushes last). */
  onShutdown: Closer[];
  /** The service name tracing was started with. */
  serviceName: string;
}

/**
 * Starts tracing as `SERVICE_NAME` (else `defaultServiceName`), then runs `start` under `runService`: a
 * ConfigError or any start-up failure is printed and exits 1. `start` must load the service with
 * `await import()`, e.g.
 *
 *   await runMain('catalog', async ({ onShutdown }) => (await import('./server.js')).startCatalog({ onShutdown }));
 */
export async function runMain(
  defaultServiceName: string,
  start: (context: MainContext) => Promise<unknown>,
  tracingOptions: TracingOptions = {},
): Promise<void> {
  const serviceName = process.env.SERVICE_NAME || defaultServiceName;
  const tracing = initTracing(serviceName, tracingOptions);
  const { runService } = await import('./server.js');
  await runService(() => start({ serviceName, onShutdown: [() => tracing.shutdown()] }));
}
