import type { AuditEntry } from '../store/audit.js';
import type { Booking } from './booking.js';

/** The JSON a client sees for a booking (also what an idempotent replay returns, byte for byte). */
export function bookingView(booking: Booking) {
  return {
    id: booking.id,
    userId: booking.userId,
    tourId: booking.tourId,
    travellers: booking.travellers,
    status: booking.status,
    country: booking.country,
    promoCode: booking.promoCode,
    price: {
      unitPriceCents: booking.unitPriceCents,
      basePriceCents: booking.basePriceCents,
      discountCents: booking.discountCents,
      subtotalCents: booking.subtotalCents,
      vatBasisPoints: booking.vatBasisPoints,
      taxCents: booking.taxCents,
      totalCents: booking.totalCents,
      currency: booking.currency,
      rulesApplied: booking.rulesApplied,
    },
    tourStartsAt: booking.tourStartsAt.toISOString(),
    createdAt: booking.createdAt.toISOString(),
    updatedAt: booking.updatedAt.toISOString(),
    cancelledAt: booking.cancelledAt?.toISOString() ?? null,
    expiresAt: booking.expiresAt?.toISOString() ?? null,
    requiresManualIntervention: booking.requiresManualIntervention,
    paymentId: booking.paymentId,
    paymentAttempts: booking.paymentAttempts,
    refundId: booking.refundId,
  };
}

/** The narrower view other services get on /internal (reminders, review eligibility): a subset of bookingView. */
export function internalBookingView(booking: Booking) {
  const { id, userId, tourId, travellers, status, tourStartsAt, createdAt } = bookingView(booking);
  return { id, userId, tourId, travellers, status, tourStartsAt, createdAt };
}

/** What staff see: the traveller's view plus what tells them why it waits. */
export function staffBookingView(booking: Booking) {
  return {
    ...bookingView(booking),
    statusChangedAt: booking.statusChangedAt.toISOString(),
    lastPaymentError: booking.lastPaymentError,
  };
}

export function auditView(entry: AuditEntry) {
  return {
    bookingId: entry.bookingId,
    actorId: entry.actorId,
    action: entry.action,
    reason: entry.reason,
    from: entry.fromStatus,
    to: entry.toStatus,
    at: entry.createdAt.toISOString(),
  };
}
