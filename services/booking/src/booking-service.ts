import type { Logger } from 'pino';
import {
  HttpProblem,
  conflict,
  gone,
  notFound,
  serviceUnavailable,
  withTransaction,
  type Pool,
} from '@tourkit/kit';
import type { Catalog } from './catalog-client.js';
import {
  cancellationRefusal,
  requestFingerprint,
  seatReference,
  type Booking,
  type BookingRequest,
} from './domain/booking.js';
import {
  PricingError,
  quotePrice,
  type PriceQuote,
  type PricingRules,
  type PromoCode,
} from './pricing/index.js';
import { paymentLinkEmail, refundRequest } from './outbox/messages.js';
import { addToOutbox } from './outbox/outbox.js';
import {
  findBooking,
  insertBooking,
  markCancelled,
  markPaymentRequested,
} from './repository/bookings.js';
import { claimIdempotencyKey, storeIdempotentResponse } from './repository/idempotency.js';
import { findPromo, redeemPromo, releasePromo } from './repository/promos.js';
import type { Queryable } from './repository/queryable.js';

export interface BookingServiceDeps {
  pool: Pool;
  catalog: Catalog;
  rules: PricingRules;
  logger: Logger;
  now: () => Date;
  onBookingStatus?: (status: string) => void;
  payments: PaymentPort;
}

/** What the booking routes need of the payment flow (src/payment/flow.ts). */
export interface PaymentPort {
  /** False while the circuit breaker around payment is open. */
  acceptsPayments(): boolean;
  /** Puts the booking's payment on the queue (once: the job id is the booking id). */
  enqueue(bookingId: string): Promise<void>;
  /** New outbox messages were committed: deliver them now. */
  wakeOutbox(): void;
  publicUrl: string;
  reservationTtlMs: number;
}

export interface CreateResult {
  status: number;
  body: unknown;
  replayed: boolean;
}

const unprocessable = (slug: string, title: string, field: string, message: string) =>
  new HttpProblem(422, slug, title, { detail: message, errors: [{ field, message }] });

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

export function createBookingService(deps: BookingServiceDeps) {
  const { pool, catalog, rules, logger } = deps;

  async function priceFor(db: Queryable, userId: string, request: BookingRequest, at: Date) {
    const tour = await catalog.getTour(request.tourId);
    if (!tour)
      throw unprocessable(
        'unknown-tour',
        'Unknown tour',
        'tourId',
        `tour ${request.tourId} does not exist`,
      );
    const promo: PromoCode | null = request.promoCode
      ? await findPromo(db, request.promoCode, userId)
      : null;
    try {
      const quote = quotePrice({
        tour,
        travellers: request.travellers,
        country: request.country,
        promoCode: request.promoCode,
        promo,
        bookedAt: at,
        rules,
      });
      return { tour, promo, quote };
    } catch (error) {
      if (error instanceof PricingError)
        throw unprocessable(error.reason, 'Cannot price this booking', error.field, error.message);
      throw error;
    }
  }

  return {
    async quote(userId: string, request: BookingRequest): Promise<PriceQuote & { tourId: string }> {
      const { quote } = await priceFor(pool, userId, request, deps.now());
      return { tourId: request.tourId, ...quote };
    },

    /**
     * Creates a PENDING_PAYMENT booking once per (user, Idempotency-Key). Everything happens in one
     * transaction that starts by claiming the key, so a concurrent duplicate waits and replays.
     * Seats are reserved at catalog last; if our commit then fails they are released again.
     */
    async create(
      userId: string,
      idempotencyKey: string,
      request: BookingRequest,
    ): Promise<CreateResult> {
      const fingerprint = requestFingerprint(request);
      let reservedSeats: string | undefined;
      try {
        const result = await withTransaction(pool, async (tx) => {
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
          const { tour, promo, quote } = await priceFor(tx, userId, request, deps.now());
          // The seed's fallback: with the payment circuit open, reserve now and pay later by link.
          const payLater = !deps.payments.acceptsPayments();
          const booking = await insertBooking(tx, {
            userId,
            tourId: request.tourId,
            travellers: request.travellers,
            status: payLater ? 'RESERVED_PENDING_PAYMENT' : 'PENDING_PAYMENT',
            expiresAt: payLater
              ? new Date(deps.now().getTime() + deps.payments.reservationTtlMs)
              : null,
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
          const seats = await catalog.changeSeats(
            request.tourId,
            request.travellers,
            seatReference(booking.id, 'reserve'),
          );
          if (seats === 'tour-not-found') {
            throw unprocessable(
              'unknown-tour',
              'Unknown tour',
              'tourId',
              `tour ${request.tourId} does not exist`,
            );
          }
          if (seats !== 'ok')
            throw conflict(
              `not enough seats left on tour ${request.tourId} for ${request.travellers} travellers`,
            );
          reservedSeats = booking.id;
          if (payLater) await addToOutbox(tx, paymentLinkEmail(booking, deps.payments.publicUrl));
          const body = bookingView(booking);
          await storeIdempotentResponse(tx, userId, idempotencyKey, booking.id, 201, body);
          deps.onBookingStatus?.(booking.status);
          return { status: 201, body, replayed: false, booking };
        });
        if (result.booking) await afterCommit(result.booking);
        return { status: result.status, body: result.body, replayed: result.replayed };
      } catch (error) {
        if (reservedSeats)
          await releaseSeatsAfterFailure(reservedSeats, request.tourId, request.travellers, error);
        throw error;
      }
    },

    /**
     * The payment link of a pay-later reservation: RESERVED_PENDING_PAYMENT → PENDING_PAYMENT and
     * onto the payment queue. Repeating it while the payment runs changes nothing.
     */
    async pay(userId: string, bookingId: string): Promise<Booking> {
      const { booking, changed } = await withTransaction(pool, async (tx) => {
        const booking = await findBooking(tx, bookingId, { forUpdate: true });
        if (!booking || booking.userId !== userId) throw notFound(`booking ${bookingId} not found`);
        if (booking.status === 'PENDING_PAYMENT') return { booking, changed: false };
        if (booking.status !== 'RESERVED_PENDING_PAYMENT')
          throw conflict(`a ${booking.status} booking cannot be paid`);
        if (booking.expiresAt && booking.expiresAt.getTime() <= deps.now().getTime())
          throw gone(`this reservation expired at ${booking.expiresAt.toISOString()}`);
        if (!deps.payments.acceptsPayments()) {
          throw serviceUnavailable(
            `Payment is temporarily unavailable; your reservation is kept until ${booking.expiresAt?.toISOString()}. Please try again in a few minutes.`,
          );
        }
        return { booking: await markPaymentRequested(tx, booking.id, deps.now()), changed: true };
      });
      if (changed) deps.onBookingStatus?.(booking.status);
      await afterCommit(booking);
      return booking;
    },

    /** The caller's booking; another user's booking is reported as missing, not forbidden, so ids do not leak. */
    async get(userId: string, bookingId: string): Promise<Booking> {
      const booking = await findBooking(pool, bookingId);
      if (!booking || booking.userId !== userId) throw notFound(`booking ${bookingId} not found`);
      return booking;
    },

    /** Cancels the caller's active booking, gives back a single-use promo and releases the seats at catalog. */
    async cancel(userId: string, bookingId: string): Promise<Booking> {
      const cancelled = await withTransaction(pool, async (tx) => {
        const booking = await findBooking(tx, bookingId, { forUpdate: true });
        if (!booking || booking.userId !== userId) throw notFound(`booking ${bookingId} not found`);
        const refusal = cancellationRefusal(booking, deps.now());
        if (refusal) throw conflict(refusal);
        const updated = await markCancelled(tx, booking.id, deps.now());
        await releasePromo(tx, booking.id);
        // A paid booking is refunded through the outbox: a payment outage delays it, never loses it.
        if (booking.status === 'CONFIRMED' && booking.paymentId)
          await addToOutbox(tx, refundRequest(booking, booking.paymentId));
        const seats = await catalog.changeSeats(
          booking.tourId,
          -booking.travellers,
          seatReference(booking.id, 'release'),
        );
        if (seats !== 'ok') {
          // The booking is cancelled either way; catalog's count is already lower than ours.
          logger.warn(
            { bookingId, tourId: booking.tourId, seats },
            'catalog refused to release seats',
          );
        }
        return updated;
      });
      deps.onBookingStatus?.(cancelled.status);
      deps.payments.wakeOutbox();
      return cancelled;
    },
  };

  /** Hands a committed booking to the payment flow; a failed enqueue is picked up by the re-enqueue loop. */
  async function afterCommit(booking: Booking) {
    if (booking.status === 'RESERVED_PENDING_PAYMENT') {
      deps.payments.wakeOutbox();
      return;
    }
    if (booking.status !== 'PENDING_PAYMENT') return;
    try {
      await deps.payments.enqueue(booking.id);
    } catch (error) {
      logger.warn(
        { err: error, bookingId: booking.id },
        'could not enqueue the payment; the re-enqueue loop will',
      );
    }
  }

  async function releaseSeatsAfterFailure(
    bookingId: string,
    tourId: string,
    travellers: number,
    cause: unknown,
  ) {
    try {
      await catalog.changeSeats(tourId, -travellers, seatReference(bookingId, 'release'));
    } catch (error) {
      logger.error(
        { err: error, cause, tourId, travellers },
        'booking failed after reserving seats; releasing them failed too',
      );
    }
  }
}

export type BookingService = ReturnType<typeof createBookingService>;
