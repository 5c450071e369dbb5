import { paymentsOfBooking, type Payment } from '../store/payments.js';
import type { PaymentContext } from './context.js';

/** Booking (or support) lists the payments made for one booking. */
export function listBookingPayments(ctx: PaymentContext, bookingId: string): Promise<Payment[]> {
  return paymentsOfBooking(ctx.pool, bookingId);
}
