import { z } from 'zod';
import { upstreamProblem, type ServiceClient } from '@tourkit/kit';
import type { Booking } from '../domain/booking.js';
import type { PaymentRecord } from '../domain/saga.js';

// 201 SUCCEEDED, or 202 PENDING: payment does not know the provider's outcome yet and settles it itself.
const paymentSchema = z.object({ id: z.string(), status: z.enum(['SUCCEEDED', 'PENDING']) });
const refundSchema = z.object({ id: z.string() });
const lookupSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      // Added by payment in issue 12; older payments answer without it (then every item is ours).
      idempotencyKey: z.string().optional(),
    }),
  ),
});

export type ChargeResult = { paymentId: string; status: 'SUCCEEDED' | 'PENDING' };
export type PaymentLookupItem = PaymentRecord & { id: string };

/** The payment service as booking uses it. Every call carries an Idempotency-Key derived from the booking. */
export interface PaymentGateway {
  charge(booking: Pick<Booking, 'id' | 'userId' | 'totalCents'>): Promise<ChargeResult>;
  refund(bookingId: string, paymentId: string): Promise<{ refundId: string }>;
  /** The booking's payments (GET /internal/payments?bookingId=): how the reconcilers learn an unknown outcome. */
  lookup(bookingId: string): Promise<PaymentLookupItem[]>;
}

export const chargeKey = (bookingId: string) => `booking:${bookingId}`;
export const refundKey = (bookingId: string) => `booking:${bookingId}:refund`;

/** A decline or a refused key is an answer, not an outage: it must not open the circuit. */
export function isPaymentOutage(error: unknown): boolean {
  const problem = upstreamProblem(error);
  return problem !== 'payment-declined' && problem !== 'idempotency-key-reused';
}

export function createPaymentGateway(client: ServiceClient): PaymentGateway {
  return {
    async charge(booking) {
      // Not retried here: the queue's retries (and the circuit breaker) own that.
      const payment = await client.post(
        '/internal/payments',
        {
          bookingId: booking.id,
          userId: booking.userId,
          amountCents: booking.totalCents,
          currency: 'EUR',
        },
        { headers: { 'idempotency-key': chargeKey(booking.id) }, schema: paymentSchema },
      );
      return { paymentId: payment.id, status: payment.status };
    },
    async refund(bookingId, paymentId) {
      const refund = await client.post(
        `/internal/payments/${encodeURIComponent(paymentId)}/refunds`,
        {},
        { headers: { 'idempotency-key': refundKey(bookingId) }, schema: refundSchema },
      );
      return { refundId: refund.id };
    },
    async lookup(bookingId) {
      const { items } = await client.get('/internal/payments', {
        query: { bookingId },
        schema: lookupSchema,
      });
      return items;
    },
  };
}
