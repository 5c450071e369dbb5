import { createHash } from 'node:crypto';
import type { AppliedRule } from './pricing/index.js';

export const BOOKING_STATUSES = [
  'RESERVING_SEATS',
  'PENDING_PAYMENT',
  'PAYMENT_UNKNOWN',
  'CONFIRMED',
  'PAYMENT_FAILED',
  'RESERVED_PENDING_PAYMENT',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Bookings that hold seats and will go on: they get a reminder before the tour. */
export const ACTIVE_STATUSES: readonly BookingStatus[] = [
  'PENDING_PAYMENT',
  'CONFIRMED',
  'RESERVED_PENDING_PAYMENT',
];

/** Bookings a traveller may cancel: the active ones and those whose next step is still unknown. */
export const CANCELLABLE_STATUSES: readonly BookingStatus[] = [
  ...ACTIVE_STATUSES,
  'RESERVING_SEATS',
  'PAYMENT_UNKNOWN',
];

export interface Booking {
  id: string;
  userId: string;
  tourId: string;
  travellers: number;
  status: BookingStatus;
  country: string;
  promoCode: string | null;
  currency: 'EUR';
  unitPriceCents: number;
  basePriceCents: number;
  discountCents: number;
  subtotalCents: number;
  vatBasisPoints: number;
  taxCents: number;
  totalCents: number;
  rulesApplied: AppliedRule[];
  tourStartsAt: Date;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  requiresManualIntervention: boolean;
  expiresAt: Date | null;
  paymentId: string | null;
  paymentAttempts: number;
  lastPaymentError: string | null;
  refundId: string | null;
  /** When the booking entered its current status (set by the database): the saga's bounds count from it. */
  statusChangedAt: Date;
}

/** Catalog applies a seat change with a reference once: every retry of a booking's reserve or release is safe. */
export function seatReference(bookingId: string, movement: 'reserve' | 'release'): string {
  return `booking:${bookingId}:${movement}`;
}

export interface BookingRequest {
  tourId: string;
  travellers: number;
  country: string;
  promoCode?: string | undefined;
}

/**
 * The fingerprint of a create-booking request, compared when an Idempotency-Key is reused: the
 * same key with a different request is refused. Keys are sorted so field order does not matter.
 */
export function requestFingerprint(request: BookingRequest): string {
  const canonical = JSON.stringify({
    country: request.country,
    promoCode: request.promoCode ?? null,
    tourId: request.tourId.toLowerCase(),
    travellers: request.travellers,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** Why a booking cannot be cancelled, or null when it can. */
export function cancellationRefusal(
  booking: Pick<Booking, 'status' | 'tourStartsAt'>,
  now: Date,
): string | null {
  if (!CANCELLABLE_STATUSES.includes(booking.status))
    return `a ${booking.status} booking cannot be cancelled`;
  if (booking.tourStartsAt.getTime() <= now.getTime()) return 'the tour has already started';
  return null;
}

const DURATION_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "24h", "90m", "2d", "3600s" → milliseconds; null when the text is not such a duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,6})(s|m|h|d)$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS];
}
