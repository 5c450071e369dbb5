import { unprocessable, withTransaction } from '@tourkit/kit';
import {
  requestFingerprint,
  seatReference,
  type Booking,
  type BookingRequest,
} from '../domain/booking.js';
import { bookingView } from '../domain/booking-view.js';
import { insertBooking } from '../store/bookings.js';
import {
  claimIdempotencyKey,
  findStoredResponse,
  responseOfBooking,
  storeIdempotentResponse,
} from '../store/idempotency.js';
import { redeemPromo } from '../store/promos.js';
import type { BookingContext } from './context.js';
import { priceBooking } from './price-booking.js';
import { unknownTour } from './problems.js';
import { settleSeatReservation } from './settle-seat-reservation.js';

export interface CreateResult {
  status: number;
  body: unknown;
  replayed: boolean;
}

/** While the seat answer is unknown the request answers 202 with the booking (the traveller polls it). */
const RESERVING = 202;

/**
 * The traveller books a tour, once per (user, Idempotency-Key). No remote call inside a
 * transaction (README, "The booking saga"): the tour is read from catalog first; transaction 1
 * claims the key and writes the booking RESERVING_SEATS with its promo redemption and a 202
 * response; then catalog reserves the seats (reference booking:<id>:reserve); its answer settles the
 * booking and rewrites the stored response (201, or 409 without seats). With no answer (timeout,
 * 5xx, crash) the booking stays RESERVING_SEATS and the seat reconciler asks again.
 */
export async function createBooking(
  ctx: BookingContext,
  userId: string,
  idempotencyKey: string,
  request: BookingRequest,
): Promise<CreateResult> {
  const fingerprint = requestFingerprint(request);
  const stored = await findStoredResponse(ctx.pool, userId, idempotencyKey);
  if (stored) return replay(stored.requestHash, fingerprint, stored.status, stored.response);

  const tour = await ctx.catalog.getTour(request.tourId);
  if (!tour) throw unknownTour(request.tourId);
  const created = await withTransaction(ctx.pool, async (tx) => {
    const claim = await claimIdempotencyKey(tx, userId, idempotencyKey, fingerprint);
    // A concurrent request with this key committed first: answer what it stored.
    if (!claim.claimed)
      return replay(
        claim.requestHash,
        fingerprint,
        claim.responseStatus ?? RESERVING,
        claim.response,
      );
    const { promo, quote } = await priceBooking(ctx, tx, userId, request, ctx.now(), tour);
    const booking = await insertBooking(tx, {
      userId,
      tourId: request.tourId,
      travellers: request.travellers,
      status: 'RESERVING_SEATS',
      country: request.country,
      promoCode: quote.promoCode,
      unitPriceCents: quote.unitPriceCents,
      basePriceCents: quote.basePriceCents,
      discountCents: quote.discountCents,
      subtotalCents: quote.subtotalCents,
      vatBasisPoints: quote.vatBasisPoints,
      taxCents: quote.taxCents,
      totalCents: quote.totalCents,
      rulesApplied: quote.rulesApplied,
      tourStartsAt: tour.startsAt,
    });
    if (
      quote.promoCode &&
      promo?.singleUsePerUser &&
      !(await redeemPromo(tx, promo.code, userId, booking.id))
    ) {
      throw unprocessable(
        'promo-already-used',
        'Cannot price this booking',
        'promoCode',
        `promo code ${promo.code} can be used once per user and you have already used it`,
      );
    }
    const body = bookingView(booking);
    await storeIdempotentResponse(tx, userId, idempotencyKey, booking.id, RESERVING, body);
    ctx.onBookingStatus?.(booking.status);
    return booking;
  });
  if (!isBooking(created)) return created;
  return reserveSeats(ctx, created);
}

async function reserveSeats(ctx: BookingContext, booking: Booking): Promise<CreateResult> {
  let answer;
  try {
    answer = await ctx.catalog.changeSeats(
      booking.tourId,
      booking.travellers,
      seatReference(booking.id, 'reserve'),
    );
  } catch (error) {
    ctx.logger.warn(
      { err: error, bookingId: booking.id },
      'seat reservation outcome unknown; the booking stays RESERVING_SEATS for the seat reconciler',
    );
    return { status: RESERVING, body: bookingView(booking), replayed: false };
  }
  await settleSeatReservation(ctx, booking, answer);
  // Whoever settled it (this request or the reconciler), the stored response is the truth now.
  const { status, body } = await currentCreateResponse(ctx, booking.id);
  return { status, body, replayed: false };
}

function replay(
  storedHash: string,
  fingerprint: string,
  status: number,
  body: unknown,
): CreateResult {
  if (storedHash !== fingerprint) {
    throw unprocessable(
      'idempotency-key-reused',
      'Idempotency key reused',
      'Idempotency-Key',
      'this Idempotency-Key was already used with a different request body',
    );
  }
  return { status, body, replayed: true };
}

function isBooking(value: Booking | CreateResult): value is Booking {
  return 'tourStartsAt' in value;
}

/** The response now stored for the request that created the booking (what a replay answers). */
async function currentCreateResponse(
  ctx: Pick<BookingContext, 'pool'>,
  bookingId: string,
): Promise<{ status: number; body: unknown }> {
  const stored = await responseOfBooking(ctx.pool, bookingId);
  if (!stored) throw new Error(`booking ${bookingId} has no stored create response`);
  return { status: stored.status, body: stored.response };
}
