import { z } from 'zod';
import {
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
});

export type PaymentConfig = z.output<typeof paymentConfigSchema>;

export function loadPaymentConfig(
  environment: Record<string, string | undefined> = process.env,
): PaymentConfig {
  return loadConfig(paymentConfigSchema, environment);
}
