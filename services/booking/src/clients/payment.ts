import { z } from 'zod';
import { upstreamProblem, type ServiceClient } from '@tourkit/kit';
import type { Booking } from '../domain/booking.js';

const paymentSchema = z.object({ id: z.string(), status: z.literal('SUCCEEDED') });
const refundSchema = z.object({ id: z.string() });

/** The payment service as booking uses it. Every call carries an Idempotency-Key derived from the booking. */
export interface PaymentGateway {
  charge(booking: Pick<Booking, 'id' | 'userId' | 'totalCents'>): Promise<{ paymentId: string }>;
  refund(bookingId: string, paymentId: string): Promise<{ refundId: string }>;
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
      return { paymentId: payment.id };
    },
    async refund(bookingId, paymentId) {
      const refund = await client.post(
        `/internal/payments/${encodeURIComponent(paymentId)}/refunds`,
        {},
        { headers: { 'idempotency-key': refundKey(bookingId) }, schema: refundSchema },
      );
      return { refundId: refund.id };
    },
  };
}
