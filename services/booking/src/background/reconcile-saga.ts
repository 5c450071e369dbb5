import { withTransaction, type ServiceMetrics } from '@tourkit/kit';
import { chargeKey, type PaymentGateway } from '../clients/payment.js';
import { seatReference } from '../domain/booking.js';
import {
  NON_TERMINAL_STATUSES,
  pastBound,
  paymentUnknownEvent,
  type SagaBounds,
} from '../domain/saga.js';
import { seatRelease } from '../domain/outbox-messages.js';
import { holdIsOrphaned, seatMovementEffect } from '../domain/seat-movements.js';
import { bookingsUnsettledSince, statusCensus } from '../store/bookings.js';
import { addToOutbox } from '../store/outbox.js';
import { applySeatMovement, openHoldsBefore, readCursor, saveCursor } from '../store/seat-holds.js';
import type { BookingContext } from '../use-cases/context.js';
import { applySagaEvent } from '../use-cases/saga-step.js';
import { settleSeatReservation } from '../use-cases/settle-seat-reservation.js';

export interface ReconcileDeps {
  ctx: BookingContext;
  gateway: PaymentGateway;
  bounds: SagaBounds;
  metrics: ServiceMetrics;
}

const BATCH = 100;
const MAX_PAGES = 20;
const SEAT_LOG = 'catalog-seat-movements';

/**
 * The saga's reconcilers (README, "The booking saga"): they settle the states of unknown outcome by
 * asking the other side, and end them at their bound. Safe with several replicas: every step is a
 * conditional state change, and the remote calls they repeat are idempotent (seat references,
 * payment lookups).
 */
export function createSagaReconciler(deps: ReconcileDeps) {
  const { ctx, bounds } = deps;
  const reconciliations = deps.metrics.counter<'step' | 'result'>({
    name: 'saga_reconciliations_total',
    help: 'Saga reconciliations by step (seats, payment) and what they led to',
    labelNames: ['step', 'result'],
  });
  const inState = deps.metrics.gauge<'status'>({
    name: 'bookings_in_state',
    help: 'Bookings now in each non-terminal saga state (refreshed by the reconciler)',
    labelNames: ['status'],
  });
  const oldest = deps.metrics.gauge<'status'>({
    name: 'booking_state_oldest_seconds',
    help: 'Age of the oldest booking in each non-terminal saga state (refreshed by the reconciler)',
    labelNames: ['status'],
  });

  /** RESERVING_SEATS bookings whose own request is over: repeat the reserve, or end them at the bound. */
  async function reconcileSeats(): Promise<number> {
    const now = ctx.now();
    const since = new Date(now.getTime() - bounds.seatRetryAfterMs);
    const bookings = await bookingsUnsettledSince(ctx.pool, 'RESERVING_SEATS', since, BATCH);
    for (const booking of bookings) {
      let result: string;
      try {
        const answer = await ctx.catalog.changeSeats(
          booking.tourId,
          booking.travellers,
          seatReference(booking.id, 'reserve'),
        );
        const settled = await settleSeatReservation(ctx, booking, answer);
        result = settled.applied ? answer : 'already-settled';
      } catch (error) {
        if (pastBound(booking, ctx.now(), bounds)) {
          await applySagaEvent(ctx, booking.id, { type: 'seats-deadline-passed' });
          result = 'deadline-passed';
        } else {
          ctx.logger.warn({ err: error, bookingId: booking.id }, 'seat reservation still unknown');
          result = 'no-answer';
        }
      }
      reconciliations.inc({ step: 'seats', result });
    }
    return bookings.length;
  }

  /** PAYMENT_UNKNOWN bookings: ask payment what happened to the charge, or end them at the bound. */
  async function reconcilePayments(): Promise<number> {
    const now = ctx.now();
    const bookings = await bookingsUnsettledSince(ctx.pool, 'PAYMENT_UNKNOWN', now, BATCH);
    for (const booking of bookings) {
      let payments;
      try {
        payments = await deps.gateway.lookup(booking.id);
      } catch (error) {
        ctx.logger.warn({ err: error, bookingId: booking.id }, 'payment lookup failed');
      }
      const event = paymentUnknownEvent(
        booking,
        payments,
        chargeKey(booking.id),
        ctx.now(),
        bounds,
      );
      if (!event) {
        reconciliations.inc({ step: 'payment', result: payments ? 'pending' : 'no-answer' });
        continue;
      }
      const succeeded = payments?.find(
        (p) =>
          p.status === 'SUCCEEDED' &&
          (p.idempotencyKey ?? chargeKey(booking.id)) === chargeKey(booking.id),
      );
      const outcome = await applySagaEvent(ctx, booking.id, event, {
        ...(succeeded ? { paymentId: succeeded.id } : {}),
        ...(event.type === 'payment-deadline-passed'
          ? {
              error: 'payment outcome still unknown at its deadline',
              alertReason:
                'Payment outcome unknown past its deadline: seats released; a charge that was captured is refunded',
            }
          : {}),
      });
      const result = event.type === 'payment-found' ? event.status : event.type;
      reconciliations.inc({
        step: 'payment',
        result: outcome.applied ? result : 'already-settled',
      });
    }
    return bookings.length;
  }

  /**
   * Catalog's seat log against live bookings: reads the movements after the saved cursor into
   * catalog_seat_holds, then releases (booking:<id>:release, through the outbox) the seats no live
   * booking holds. Until catalog serves the log (branch catalog of issue 12) this records no-answer.
   */
  async function reconcileSeatMovements(): Promise<number> {
    let cursor = await readCursor(ctx.pool, SEAT_LOG);
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const { items, next } = await ctx.catalog.seatMovements(cursor, BATCH);
        // Catalog answers next = null only for an empty page: then the cursor stays where it is.
        const after = next ?? cursor;
        await withTransaction(ctx.pool, async (tx) => {
          for (const movement of items) {
            const effect = seatMovementEffect(movement);
            if (effect) await applySeatMovement(tx, effect);
          }
          if (after !== null) await saveCursor(tx, SEAT_LOG, after);
        });
        cursor = after;
        if (next === null || items.length === 0) break;
      }
    } catch (error) {
      ctx.logger.debug({ err: error }, 'seat movements not readable');
      reconciliations.inc({ step: 'seat-movements', result: 'no-answer' });
      return 0;
    }
    // A hold younger than this may belong to a step still under way (its release not yet queued).
    const before = new Date(ctx.now().getTime() - Math.max(bounds.seatRetryAfterMs, 60_000));
    let released = 0;
    for (const hold of await openHoldsBefore(ctx.pool, before, BATCH)) {
      if (!holdIsOrphaned(hold.bookingStatus)) continue;
      await addToOutbox(
        ctx.pool,
        seatRelease({ id: hold.bookingId, tourId: hold.tourId, travellers: hold.seats }),
      );
      released++;
      reconciliations.inc({ step: 'seat-movements', result: 'released' });
    }
    if (released > 0) {
      ctx.logger.warn({ released }, 'seats held at catalog by no live booking: released');
      ctx.payments.wakeOutbox();
    }
    return released;
  }

  /** The per-state gauges: how many bookings wait in each non-terminal state, and the oldest's age. */
  async function refreshGauges(): Promise<void> {
    const census = await statusCensus(ctx.pool, NON_TERMINAL_STATUSES);
    const now = ctx.now().getTime();
    for (const status of NON_TERMINAL_STATUSES) {
      const row = census.find((c) => c.status === status);
      inState.set({ status }, row?.count ?? 0);
      oldest.set({ status }, row?.oldest ? Math.max(0, (now - row.oldest.getTime()) / 1000) : 0);
    }
  }

  return {
    reconcileSeats,
    reconcilePayments,
    reconcileSeatMovements,
    refreshGauges,
    /** One pass of everything (the background loop's tick). */
    async runOnce(): Promise<void> {
      await reconcileSeats();
      await reconcilePayments();
      await reconcileSeatMovements();
      await refreshGauges();
    },
  };
}

export type SagaReconciler = ReturnType<typeof createSagaReconciler>;
