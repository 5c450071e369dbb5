import type { Logger } from 'pino';
import {
  PermanentDeliveryError,
  asDeliveryError,
  createOutboxRelay,
  type Pool,
  type ServiceClient,
  type ServiceMetrics,
} from '@tourkit/kit';
import type { Catalog } from '../clients/catalog.js';
import { sendNotification } from '../clients/notification.js';
import type { PaymentGateway } from '../clients/payment.js';
import type { OutboxPayloads } from '../domain/outbox-messages.js';
import { recordRefund } from '../store/bookings.js';

export interface BookingOutboxOptions {
  pool: Pool;
  logger: Logger;
  metrics: ServiceMetrics;
  catalog: Catalog;
  gateway: PaymentGateway;
  notification: ServiceClient;
  intervalMs: number;
  retryBaseMs: number;
}

/** Delivers what the use cases and the worker put in the outbox: e-mails, seat releases, refunds. */
export function createBookingOutbox(options: BookingOutboxOptions) {
  const { pool, gateway } = options;
  return createOutboxRelay<OutboxPayloads>({
    pool,
    logger: options.logger,
    metrics: options.metrics,
    intervalMs: options.intervalMs,
    retryBaseMs: options.retryBaseMs,
    handlers: {
      notification: (payload) => sendNotification(options.notification, payload),
      'release-seats': async ({ tourId, delta, reference }) => {
        const result = await options.catalog.changeSeats(tourId, delta, reference);
        if (result !== 'ok')
          throw new PermanentDeliveryError(`catalog refused the release: ${result}`);
      },
      refund: async ({ bookingId, paymentId }) => {
        try {
          const { refundId } = await gateway.refund(bookingId, paymentId);
          await recordRefund(pool, bookingId, refundId);
        } catch (error) {
          throw asDeliveryError(error);
        }
      },
    },
  });
}
