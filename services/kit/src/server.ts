import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { answerClientErrorsWithProblems } from './client-error.js';
import { ConfigError, type BaseConfig } from './config.js';
import type { HealthRegistry } from './health.js';

/** Something to close at shutdown (a pg pool, a Redis client, a cache, a tracer). */
export type Closer =
  | (() => Promise<unknown> | unknown)
  | { close(): Promise<unknown> | unknown }
  | { end(): Promise<unknown> | unknown };

export interface StartServerOptions {
  port: number;
  host?: string;
  logger: Logger;
  health: HealthRegistry;
  /** Closed in order after the HTTP server has stopped (pools, redis, tracing). */
  onShutdown?: Closer[];
  /** How long /readyz fails before the server stops accepting (lets the endpoints controller remove the pod). */
  drainSeconds?: number;
  /** After this, connections still open are destroyed; default 25. */
  shutdownTimeoutSeconds?: number;
  /** Install SIGTERM/SIGINT handlers that shut down and exit(0); default true. Tests pass false. */
  handleSignals?: boolean;
}

export interface ServerHandle {
  server: Server;
  /** The port actually bound (useful with port 0). */
  port: number;
  url: string;
  /** Graceful shutdown: readiness fails, drain, stop accepting, finish in-flight requests, run closers. Idempotent. */
  close(): Promise<void>;
}

/** What a service's start function takes: from `runMain` in production, from tests otherwise. */
export interface StartServiceOptions {
  /** Default `process.env`. */
  environment?: Record<string, string | undefined>;
  /** Closed after the service's own closers at shutdown (tracing, from `runMain`). */
  onShutdown?: Closer[];
  /** Default true; tests pass false. */
  handleSignals?: boolean;
}

/** startServer's address, port and shutdown timings, from the base variables every service's config has. */
export function serverOptions(
  config: Pick<BaseConfig, 'PORT' | 'SHUTDOWN_DRAIN_SECONDS' | 'SHUTDOWN_TIMEOUT_SECONDS'> &
    Partial<Pick<BaseConfig, 'HOST'>>,
): Pick<StartServerOptions, 'host' | 'port' | 'drainSeconds' | 'shutdownTimeoutSeconds'> {
  return {
    ...(config.HOST ? { host: config.HOST } : {}),
    port: config.PORT,
    drainSeconds: config.SHUTDOWN_DRAIN_SECONDS,
    shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
  };
}

/** Listens and wires graceful shutdown. Resolves once the server is accepting connections. */
export async function startServer(
  app: Express,
  options: StartServerOptions,
): Promise<ServerHandle> {
  const { logger } = options;
  const server = app.listen(options.port, options.host ?? '0.0.0.0');
  // Keep-alive must outlive typical load balancer idle timeouts so the LB closes first, not us mid-request.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  answerClientErrorsWithProblems(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= shutdown(server, options);
    return closing;
  };

  if (options.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutdown requested');
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  return { server, port, url: `http://127.0.0.1:${port}`, close };
}

async function shutdown(server: Server, options: StartServerOptions): Promise<void> {
  const { logger, health } = options;
  health.markShuttingDown();
  const drainMs = (options.drainSeconds ?? 0) * 1000;
  if (drainMs > 0) {
    logger.info({ drainSeconds: options.drainSeconds }, 'readiness failing; draining');
    await sleep(drainMs);
  }
  await stopHttpServer(server, (options.shutdownTimeoutSeconds ?? 25) * 1000, logger);
  await closeAll(options.onShutdown ?? [], {
    onError: (error) => logger.error({ err: error }, 'closer failed during shutdown'),
  });
  logger.info('shutdown complete');
}

/** Stops accepting, closes idle keep-alive sockets as they become idle, and force-closes after the deadline. */
function stopHttpServer(server: Server, timeoutMs: number, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      logger.warn('shutdown deadline reached; closing remaining connections');
      server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Closes each closer in order; one failing does not stop the others. A failure goes to `onError` when
 * given; otherwise the first one rejects the returned promise once every closer has run.
 */
export async function closeAll(
  closers: readonly Closer[],
  options: { onError?: (error: unknown) => void } = {},
): Promise<void> {
  const failures: unknown[] = [];
  for (const closer of closers) {
    try {
      await runCloser(closer);
    } catch (error) {
      if (options.onError) options.onError(error);
      else failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}

async function runCloser(closer: Closer): Promise<void> {
  if (typeof closer === 'function') await closer();
  else if ('close' in closer) await closer.close();
  else await closer.end();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs a service's start-up function; a ConfigError (or any start-up failure) is printed and exits 1.
 * `main` builds the config, app and server and returns the server handle.
 */
export async function runService(main: () => Promise<unknown>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(
        `start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  }
}
