import { HttpProblem } from '@tourkit/kit';
import type { SeatChangeResult } from '../clients/catalog.js';
import type { Booking } from '../domain/booking.js';
import type { SagaEvent } from '../domain/saga.js';
import type { BookingContext } from './context.js';
import { unknownTour } from './problems.js';
import { applySagaEvent, type StepResult } from './saga-step.js';

/**
 * Catalog answered the reserve of a RESERVING_SEATS booking (the create request's own call, or the
 * seat reconciler's repeat of it): the booking moves on, and the response stored under its
 * Idempotency-Key becomes the final one (201 with the booking, 409 no seats, 422 unknown tour).
 */
export async function settleSeatReservation(
  ctx: BookingContext,
  booking: Pick<Booking, 'id' | 'tourId' | 'travellers'>,
  answer: SeatChangeResult,
): Promise<StepResult> {
  if (answer === 'ok') {
    // With the payment circuit open: reserve now, pay later by the e-mailed link.
    const event: SagaEvent = { type: 'seats-reserved', payLater: !ctx.payments.acceptsPayments() };
    return applySagaEvent(ctx, booking.id, event);
  }
  const problem =
    answer === 'tour-not-found' ? unknownTour(booking.tourId) : notEnoughSeats(booking);
  return applySagaEvent(
    ctx,
    booking.id,
    {
      type: 'seats-refused',
      reason: answer === 'tour-not-found' ? 'tour-not-found' : 'not-enough-seats',
    },
    { createResponse: { status: problem.status, body: problem.toJSON() } },
  );
}

function notEnoughSeats(booking: Pick<Booking, 'tourId' | 'travellers'>): HttpProblem {
  const message = `not enough seats left on tour ${booking.tourId} for ${booking.travellers} travellers`;
  return new HttpProblem(409, 'not-enough-seats', 'Not enough seats', {
    detail: message,
    errors: [{ field: 'travellers', message }],
  });
}
