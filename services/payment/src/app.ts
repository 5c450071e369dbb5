import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  HealthRegistry,
  createApp,
  createLogger,
  createMetrics,
  createPool,
  type Closer,
  type Logger,
  type Pool,
  type ServiceMetrics,
} from '@tourkit/kit';
import type { PaymentConfig } from './config.js';
import { createPaymentService, type PaymentService } from './payment-service.js';
import { SimulatedProvider } from './provider/simulator.js';
import { paymentRoutes } from './routes.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface PaymentApp {
  app: Express;
  logger: Logger;
  metrics: ServiceMetrics;
  health: HealthRegistry;
  pool: Pool;
  service: PaymentService;
  simulator: SimulatedProvider;
  /** Closed in this order at shutdown. */
  closers: Closer[];
  close(): Promise<void>;
}

export interface PaymentAppOptions {
  logger?: Logger;
  /** The simulator's random source, [0, 1). */
  random?: () => number;
}

/** Builds the payment service (pool, provider, routes) without listening. */
export function createPaymentApp(
  config: PaymentConfig,
  options: PaymentAppOptions = {},
): PaymentApp {
  const name = config.SERVICE_NAME;
  const logger = options.logger ?? createLogger(name, config.LOG_LEVEL);
  const metrics = createMetrics(name);
  const health = new HealthRegistry();
  const pool = createPool(config.DATABASE_URL, {
    name: 'db',
    max: config.DB_POOL_MAX,
    health,
    logger,
  });
  const simulator = new SimulatedProvider({
    pool,
    defaults: {
      failureRate: config.SIMULATOR_FAILURE_RATE,
      declineRate: config.SIMULATOR_DECLINE_RATE,
      latencyMs: config.SIMULATOR_LATENCY_MS,
      outage: config.SIMULATOR_OUTAGE,
    },
    ...(options.random ? { random: options.random } : {}),
  });
  // Not critical: with the provider down the service still answers (503 per charge, refunds
  // pending), keeps its data and stays in the load balancer; /health says DEGRADED.
  health.register('provider', () => simulator.ping(), { critical: false });
  const service = createPaymentService({ pool, provider: simulator, metrics, logger });
  const app = createApp({
    name,
    logger,
    metrics,
    health,
    bodyLimit: config.BODY_LIMIT,
    openapiPath: OPENAPI_PATH,
    routes: paymentRoutes({
      service,
      pool,
      internalToken: config.INTERNAL_TOKEN,
      simulator,
    }),
  });
  const closers: Closer[] = [pool];
  return {
    app,
    logger,
    metrics,
    health,
    pool,
    service,
    simulator,
    closers,
    async close() {
      await pool.end();
    },
  };
}
