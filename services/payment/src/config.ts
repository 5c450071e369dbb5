import { z } from 'zod';
import {
  ConfigError,
  databaseConfigShape,
  defineConfig,
  env,
  internalTokenShape,
  loadConfig,
} from '@tourkit/kit';

const rate = (defaultValue: number) => z.coerce.number().min(0).max(1).default(defaultValue);

export const paymentConfigSchema = defineConfig({
  SERVICE_NAME: z.string().min(1).default('payment'),
  PORT: env.int(8085, 0, 65535),
  ...databaseConfigShape('postgres://postgres@127.0.0.1:5432/tourkit_payment'),
  ...internalTokenShape,
  /** The provider adapter; only the local simulator exists today. */
  PAYMENT_PROVIDER: z.enum(['simulator']).default('simulator'),
  /** Simulator defaults, used until the first PUT /internal/simulator. */
  SIMULATOR_FAILURE_RATE: rate(0),
  SIMULATOR_DECLINE_RATE: rate(0),
  SIMULATOR_LATENCY_MS: env.int(0, 0, 60_000),
  SIMULATOR_OUTAGE: env.boolean(false),
  SIMULATOR_LOSE_RESPONSE_RATE: rate(0),
  /**
   * How long a provider call may take before its outcome counts as unknown (the payment stays
   * PENDING, the request answers 202). Below booking's PAYMENT_TIMEOUT_MS (5 s), so that booking
   * hears "pending" rather than timing out itself.
   */
  PROVIDER_TIMEOUT_MS: env.int(4_000, 100, 60_000),
  /** How long a request whose key is in flight in another request waits for its outcome before answering 202. */
  DUPLICATE_WAIT_MS: env.int(3_000, 0, 30_000),
  /** A PENDING charge or refund older than this is settled by the reconciler (≥ PROVIDER_TIMEOUT_MS + 1 s). */
  RECONCILE_AFTER_MS: env.int(30_000, 1_000, 86_400_000),
  /** How often the reconciler looks for such rows. */
  RECONCILE_INTERVAL_MS: env.int(5_000, 100, 3_600_000),
});

export type PaymentConfig = z.output<typeof paymentConfigSchema>;

export function loadPaymentConfig(
  environment: Record<string, string | undefined> = process.env,
): PaymentConfig {
  const config = loadConfig(paymentConfigSchema, environment);
  if (config.RECONCILE_AFTER_MS < inFlightMs(config))
    throw new ConfigError([
      {
        variable: 'RECONCILE_AFTER_MS',
        message: `must be at least PROVIDER_TIMEOUT_MS + ${RECORD_MARGIN_MS} ms (${inFlightMs(config)}): the reconciler must not act on a call still in flight`,
      },
    ]);
  return config;
}

/** Time allowed, after the provider's answer, to record it. */
export const RECORD_MARGIN_MS = 1_000;

/** How long after it was claimed an attempt may still be waiting for the provider's answer. */
export function inFlightMs(config: Pick<PaymentConfig, 'PROVIDER_TIMEOUT_MS'>): number {
  return config.PROVIDER_TIMEOUT_MS + RECORD_MARGIN_MS;
}
