import type { Express } from 'express';
import type { Logger } from 'pino';
import type { BaseConfig, DatabaseConfig } from './config.js';
import { createPool, runMigrations, type Pool } from './db.js';
import { HealthRegistry } from './health.js';
import { createLogger } from './logger.js';
import { createMetrics, type ServiceMetrics } from './metrics.js';
import {
  closeAll,
  serverOptions,
  startServer,
  type Closer,
  type ServerHandle,
  type StartServiceOptions,
} from './server.js';

/** What every service is built on; spread it into `createApp({ ...base, routes })`. */
export interface ServiceBase {
  name: string;
  logger: Logger;
  metrics: ServiceMetrics;
  health: HealthRegistry;
}

/** The service's name (`SERVICE_NAME`), its logger (at `LOG_LEVEL`, unless one is given), metrics and health registries. */
export function createServiceBase(
  config: Pick<BaseConfig, 'SERVICE_NAME' | 'LOG_LEVEL'>,
  options: { logger?: Logger } = {},
): ServiceBase {
  const name = config.SERVICE_NAME;
  return {
    name,
    logger: options.logger ?? createLogger(name, config.LOG_LEVEL),
    metrics: createMetrics(name),
    health: new HealthRegistry(),
  };
}

/** The pool of the service's own database (`DATABASE_URL`, `DB_POOL_MAX`), checked as the critical `db` dependency. */
export function createServicePool(
  base: Pick<ServiceBase, 'logger' | 'health'>,
  config: Pick<DatabaseConfig, 'DATABASE_URL' | 'DB_POOL_MAX'>,
): Pool {
  return createPool(config.DATABASE_URL, {
    name: 'db',
    max: config.DB_POOL_MAX,
    health: base.health,
    logger: base.logger,
  });
}

/** A built service, ready to listen. */
export interface ServableService {
  app: Express;
  logger: Logger;
  health: HealthRegistry;
  /** Closed in this order at shutdown, before the caller's `onShutdown`. */
  closers: readonly Closer[];
}

export type ServeConfig = Pick<
  BaseConfig,
  'PORT' | 'SHUTDOWN_DRAIN_SECONDS' | 'SHUTDOWN_TIMEOUT_SECONDS'
> &
  Partial<Pick<BaseConfig, 'HOST'>> &
  Partial<Pick<DatabaseConfig, 'DATABASE_URL' | 'RUN_MIGRATIONS'>>;

export interface ServeServiceOptions extends StartServiceOptions {
  /** The service's `migrations/` folder, applied to `DATABASE_URL` first when `RUN_MIGRATIONS` is on. */
  migrationsDir?: string;
  /** Runs after the migrations, before listening: demo data, workers, relays. */
  beforeListen?: () => Promise<unknown> | unknown;
}

/**
 * Migrates (when asked), runs `beforeListen`, then listens with graceful shutdown: the service's closers,
 * then `options.onShutdown` (tracing, from `runMain`). Should a step before listening fail, the closers
 * run (so pools and Redis clients do not keep the process alive) and the error is thrown.
 */
export async function serveService(
  service: ServableService,
  config: ServeConfig,
  options: ServeServiceOptions = {},
): Promise<ServerHandle> {
  const { logger, health } = service;
  try {
    if (options.migrationsDir && config.RUN_MIGRATIONS !== false) {
      if (!config.DATABASE_URL) throw new Error('serveService: migrationsDir needs DATABASE_URL');
      await runMigrations(config.DATABASE_URL, options.migrationsDir, { logger });
    }
    await options.beforeListen?.();
    return await startServer(service.app, {
      ...serverOptions(config),
      logger,
      health,
      handleSignals: options.handleSignals ?? true,
      onShutdown: [...service.closers, ...(options.onShutdown ?? [])],
    });
  } catch (error) {
    await closeAll(service.closers, {
      onError: (closeError) =>
        logger.error({ err: closeError }, 'closer failed after start-up failure'),
    });
    throw error;
  }
}
