import { fileURLToPath } from 'node:url';
import { createLogger, runMigrations } from '@tourkit/kit';
import { createTestDatabase, dropTestDatabase } from '@tourkit/kit/testing';
import { createPaymentApp, type PaymentApp, type PaymentAppOptions } from './app.js';
import { loadPaymentConfig } from './config.js';
import { paymentsOfBooking, type Payment } from './store/payments.js';

export type { PaymentApp } from './app.js';
export type { SimulatorSettingsPatch } from './domain/simulator-settings.js';

export const PAYMENT_INTERNAL_TOKEN = 'payment-test-internal-token';
const migrations = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Fixtures for tests (`@tourkit/payment/testing`).
 *
 * The real payment service, built in-process on its own test database `tourkit_<name>_test`.
 * Exported for other workspaces' tests (booking starts it to pay over HTTP).
 */
export async function startPaymentApp(
  name: string,
  options: PaymentAppOptions & { env?: Record<string, string> } = {},
): Promise<PaymentApp & { dispose(): Promise<void> }> {
  const url = await createTestDatabase(name);
  await runMigrations(url, migrations);
  const payment = createPaymentApp(
    loadPaymentConfig({
      DATABASE_URL: url,
      INTERNAL_TOKEN: PAYMENT_INTERNAL_TOKEN,
      LOG_LEVEL: 'silent',
      ...options.env,
    }),
    { logger: options.logger ?? createLogger('payment-test', 'silent'), ...options },
  );
  return Object.assign(payment, {
    async dispose() {
      await payment.close();
      await dropTestDatabase(name);
    },
  });
}

/** The payments recorded for a booking, with what the API does not show (the Idempotency-Key it was charged under). */
export function paymentsOf(
  payment: Pick<PaymentApp, 'pool'>,
  bookingId: string,
): Promise<Payment[]> {
  return paymentsOfBooking(payment.pool, bookingId);
}
