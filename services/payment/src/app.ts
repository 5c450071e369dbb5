import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  closeAll,
  createApp,
  createServiceBase,
  createServicePool,
  type Closer,
  type Logger,
  type Pool,
  type ServiceBase,
} from '@tourkit/kit';
import { inFlightMs, type PaymentConfig } from './config.js';
import { createReconciler, type Reconciler } from './background/reconciler.js';
import { SimulatedProvider } from './clients/simulator.js';
import { paymentRoutes } from './http/routes.js';
import { createPaymentContext, type PaymentContext } from './use-cases/context.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface PaymentApp extends ServiceBase {
  app: Express;
  pool: Pool;
  /** What the use cases work with (pool, provider, metrics). */
  ctx: PaymentContext;
  simulator: SimulatedProvider;
  /** Settles PENDING charges and refunds; server.ts starts it, tests run rounds by hand. */
  reconciler: Reconciler;
  /** Closed in this order at shutdown. */
  closers: Closer[];
  close(): Promise<void>;
}

export interface PaymentAppOptions {
  logger?: Logger;
  /** The simulator's random source, [0, 1). */
  random?: () => number;
  /** The clock of attempts and of the reconciler's bound (tests move it forward). */
  now?: () => Date;
}

/** Builds the payment service (pool, provider, routes) without listening. */
export function createPaymentApp(
  config: PaymentConfig,
  options: PaymentAppOptions = {},
): PaymentApp {
  const base = createServiceBase(config, options);
  const { logger, metrics, health } = base;
  const pool = createServicePool(base, config);
  const simulator = new SimulatedProvider({
    pool,
    defaults: {
      failureRate: config.SIMULATOR_FAILURE_RATE,
      declineRate: config.SIMULATOR_DECLINE_RATE,
      latencyMs: config.SIMULATOR_LATENCY_MS,
      outage: config.SIMULATOR_OUTAGE,
      loseResponseRate: config.SIMULATOR_LOSE_RESPONSE_RATE,
    },
    ...(options.random ? { random: options.random } : {}),
  });
  // Not critical: with the provider down the service still answers (503 per charge, refunds
  // pending), keeps its data and stays in the load balancer; /health says DEGRADED.
  health.register('provider', () => simulator.ping(), { critical: false });
  const ctx = createPaymentContext({
    pool,
    provider: simulator,
    metrics,
    logger,
    now: options.now ?? (() => new Date()),
    timings: {
      providerTimeoutMs: config.PROVIDER_TIMEOUT_MS,
      inFlightMs: inFlightMs(config),
      duplicateWaitMs: config.DUPLICATE_WAIT_MS,
      pollIntervalMs: 100,
    },
  });
  const reconciler = createReconciler(ctx, {
    afterMs: config.RECONCILE_AFTER_MS,
    intervalMs: config.RECONCILE_INTERVAL_MS,
  });
  const app = createApp({
    ...base,
    bodyLimit: config.BODY_LIMIT,
    openapiPath: OPENAPI_PATH,
    routes: paymentRoutes({
      ctx,
      internalToken: config.INTERNAL_TOKEN,
      simulator,
    }),
  });
  // The reconciler first: its running round still needs the pool.
  const closers: Closer[] = [() => reconciler.close(), pool];
  return {
    ...base,
    app,
    pool,
    ctx,
    simulator,
    reconciler,
    closers,
    close: () => closeAll(closers),
  };
}
