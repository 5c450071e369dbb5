import { seatReference, type Booking } from './booking.js';

/** The notification service's request body (POST /internal/notifications). */
export interface NotificationRequest {
  type: 'booking-confirmed' | 'payment-link' | 'support-alert' | 'tour-changed';
  dedupeKey: string;
  userId?: string;
  email?: string;
  bookingId?: string;
  tourId?: string;
  data?: Record<string, unknown>;
}

export type OutboxMessage =
  | { kind: 'notification'; dedupeKey: string; payload: NotificationRequest }
  | {
      kind: 'release-seats';
      dedupeKey: string;
      payload: {
        tourId: string;
        delta: number;
        reference: string;
        /**
         * The reserve's reference when it may not have been applied: the relay repeats it first
         * (catalog answers what it did) and releases only seats the booking holds.
         */
        reserveFirst?: string;
      };
    }
  | {
      kind: 'refund';
      dedupeKey: string;
      /** paymentId null: the charge's outcome was unknown; the relay asks payment and refunds only a captured one. */
      payload: { bookingId: string; paymentId: string | null };
    };

/** Each kind's payload, for the kit's outbox relay. */
export type OutboxPayloads = { [M in OutboxMessage as M['kind']]: M['payload'] };

function notification(payload: NotificationRequest): OutboxMessage {
  return { kind: 'notification', dedupeKey: payload.dedupeKey, payload };
}

export function confirmationEmail(booking: Booking): OutboxMessage {
  return notification({
    type: 'booking-confirmed',
    dedupeKey: `booking-confirmed:${booking.id}`,
    userId: booking.userId,
    bookingId: booking.id,
    tourId: booking.tourId,
    data: {
      travellers: booking.travellers,
      totalCents: booking.totalCents,
      currency: booking.currency,
      paymentId: booking.paymentId,
    },
  });
}

/** `paymentLink`: the signed URL issuePaymentLink made (src/domain/payment-link.ts). */
export function paymentLinkEmail(booking: Booking, paymentLink: string): OutboxMessage {
  return notification({
    type: 'payment-link',
    dedupeKey: `payment-link:${booking.id}`,
    userId: booking.userId,
    bookingId: booking.id,
    tourId: booking.tourId,
    data: {
      paymentLink,
      expiresAt: booking.expiresAt?.toISOString() ?? null,
      totalCents: booking.totalCents,
      currency: booking.currency,
    },
  });
}

export function paymentFailedAlert(
  booking: Booking,
  supportEmail: string,
  lastError: string,
  reason?: string,
): OutboxMessage {
  return notification({
    type: 'support-alert',
    dedupeKey: `support-alert:payment-failed:${booking.id}`,
    email: supportEmail,
    bookingId: booking.id,
    tourId: booking.tourId,
    data: {
      reason: reason ?? `Payment failed after ${Math.max(booking.paymentAttempts - 1, 0)} retries`,
      attempts: booking.paymentAttempts,
      lastError,
      userId: booking.userId,
      totalCents: booking.totalCents,
    },
  });
}

export function seatRelease(
  booking: Pick<Booking, 'id' | 'tourId' | 'travellers'>,
  options: { ifReserved?: boolean } = {},
): OutboxMessage {
  const reference = seatReference(booking.id, 'release');
  return {
    kind: 'release-seats',
    dedupeKey: reference,
    payload: {
      tourId: booking.tourId,
      delta: -booking.travellers,
      reference,
      ...(options.ifReserved ? { reserveFirst: seatReference(booking.id, 'reserve') } : {}),
    },
  };
}

export function refundRequest(
  booking: Pick<Booking, 'id'>,
  paymentId: string | null,
): OutboxMessage {
  return {
    kind: 'refund',
    dedupeKey: `refund:${booking.id}`,
    payload: { bookingId: booking.id, paymentId },
  };
}
