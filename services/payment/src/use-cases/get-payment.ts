import { notFound } from '@tourkit/kit';
import { findPayment, type Payment } from '../store/payments.js';
import type { PaymentContext } from './context.js';

/** Booking (or support) reads one payment; 404 when there is none. */
export async function getPayment(ctx: PaymentContext, id: string): Promise<Payment> {
  const payment = await findPayment(ctx.pool, id);
  if (!payment) throw notFound(`payment ${id} not found`);
  return payment;
}
