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
import { chargeKey, type PaymentGateway } from '../clients/payment.js';
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

/**
 * The booking's captured charge (Idempotency-Key booking:<id>), null when there is none; while
 * payment still settles it (PENDING) the delivery is retried later.
 */
async function capturedPayment(gateway: PaymentGateway, bookingId: string): Promise<string | null> {
  const ours = (await gateway.lookup(bookingId)).filter(
    (p) => p.idempotencyKey === undefined || p.idempotencyKey === chargeKey(bookingId),
  );
  const succeeded = ours.find((p) => p.status === 'SUCCEEDED');
  if (succeeded) return succeeded.id;
  if (ours.some((p) => p.status === 'PENDING'))
    throw new Error(`the charge of booking ${bookingId} is still PENDING at payment`);
  return null;
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
      'release-seats': async ({ tourId, delta, reference, reserveFirst }) => {
        if (reserveFirst) {
          // The reserve may never have been applied: repeating it (same reference) makes catalog
          // say what it holds. A refusal means it holds nothing for this booking.
          const reserved = await options.catalog.changeSeats(tourId, -delta, reserveFirst);
          if (reserved !== 'ok') return;
        }
        const result = await options.catalog.changeSeats(tourId, delta, reference);
        if (result !== 'ok')
          throw new PermanentDeliveryError(`catalog refused the release: ${result}`);
      },
      refund: async ({ bookingId, paymentId }) => {
        try {
          const id = paymentId ?? (await capturedPayment(gateway, bookingId));
          if (id === null) return; // nothing was captured: nothing to give back
          const { refundId } = await gateway.refund(bookingId, id);
          await recordRefund(pool, bookingId, refundId);
        } catch (error) {
          throw asDeliveryError(error);
        }
      },
    },
  });
}
