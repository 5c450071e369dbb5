import { conflict, withTransaction } from '@tourkit/kit';
import { requestFingerprint, seatReference, type BookingRequest } from '../domain/booking.js';
import { bookingView } from '../domain/booking-view.js';
import { paymentLinkEmail } from '../domain/outbox-messages.js';
import { insertBooking } from '../store/bookings.js';
import { claimIdempotencyKey, storeIdempotentResponse } from '../store/idempotency.js';
import { addToOutbox } from '../store/outbox.js';
import { redeemPromo } from '../store/promos.js';
import type { BookingContext } from './context.js';
import { handToPayment } from './hand-to-payment.js';
import { issuePaymentLink } from './issue-payment-link.js';
import { priceBooking } from './price-booking.js';
import { unknownTour, unprocessable } from './problems.js';

export interface CreateResult {
  status: number;
  body: unknown;
  replayed: boolean;
}

/**
 * The traveller books a tour: a PENDING_PAYMENT booking, once per (user, Idempotency-Key).
 * Everything happens in one transaction that starts by claiming the key, so a concurrent duplicate
 * waits and replays. Seats are reserved at catalog last; if our commit then fails they are
 * released again.
 */
export async function createBooking(
  ctx: BookingContext,
  userId: string,
  idempotencyKey: string,
  request: BookingRequest,
): Promise<CreateResult> {
  const fingerprint = requestFingerprint(request);
  let reservedSeats: string | undefined;
  try {
    const result = await withTransaction(ctx.pool, async (tx) => {
      const claim = await claimIdempotencyKey(tx, userId, idempotencyKey, fingerprint);
      if (!claim.claimed) {
        if (claim.requestHash !== fingerprint) {
          throw unprocessable(
            'idempotency-key-reused',
            'Idempotency key reused',
            'Idempotency-Key',
            'this Idempotency-Key was already used with a different request body',
          );
        }
        return {
          status: claim.responseStatus ?? 201,
          body: claim.response,
          replayed: true,
          booking: undefined,
        };
      }
      const { tour, promo, quote } = await priceBooking(ctx, tx, userId, request, ctx.now());
      // With the payment circuit open: reserve now, pay later by the e-mailed link.
      const payLater = !ctx.payments.acceptsPayments();
      const booking = await insertBooking(tx, {
        userId,
        tourId: request.tourId,
        travellers: request.travellers,
        status: payLater ? 'RESERVED_PENDING_PAYMENT' : 'PENDING_PAYMENT',
        expiresAt: payLater ? new Date(ctx.now().getTime() + ctx.payments.reservationTtlMs) : null,
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
      const seats = await ctx.catalog.changeSeats(
        request.tourId,
        request.travellers,
        seatReference(booking.id, 'reserve'),
      );
      if (seats === 'tour-not-found') throw unknownTour(request.tourId);
      if (seats !== 'ok')
        throw conflict(
          `not enough seats left on tour ${request.tourId} for ${request.travellers} travellers`,
        );
      reservedSeats = booking.id;
      if (payLater)
        await addToOutbox(tx, paymentLinkEmail(booking, await issuePaymentLink(ctx, tx, booking)));
      const body = bookingView(booking);
      await storeIdempotentResponse(tx, userId, idempotencyKey, booking.id, 201, body);
      ctx.onBookingStatus?.(booking.status);
      return { status: 201, body, replayed: false, booking };
    });
    if (result.booking) await handToPayment(ctx, result.booking);
    return { status: result.status, body: result.body, replayed: result.replayed };
  } catch (error) {
    if (reservedSeats) await releaseSeatsAfterFailure(ctx, reservedSeats, request, error);
    throw error;
  }
}

async function releaseSeatsAfterFailure(
  ctx: BookingContext,
  bookingId: string,
  request: BookingRequest,
  cause: unknown,
) {
  const { tourId, travellers } = request;
  try {
    await ctx.catalog.changeSeats(tourId, -travellers, seatReference(bookingId, 'release'));
  } catch (error) {
    ctx.logger.error(
      { err: error, cause, tourId, travellers },
      'booking failed after reserving seats; releasing them failed too',
    );
  }
}
