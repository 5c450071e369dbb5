import type { Traveller } from '../support/actors.js';
import { expectAnswer } from '../support/api.js';
import { expectStatus, type JsonBody } from '../support/http.js';
import { messageIdOf } from '../support/mail.js';
import type { Platform } from '../support/platform.js';
import {
  TERMINAL_STATUSES,
  mailDue,
  type BookingRow,
  type FaultRows,
  type ProviderOperationRow,
  type SagaBounds,
} from './invariants.js';

// Gathers a fault's rows for ./invariants.ts, each through the platform's APIs: bookings from
// booking's (as their traveller), seats from catalog's, payments from payment's, e-mails from the
// mail catcher, and what the provider itself carried out from the simulator's ledger (payment's
// internal simulator API).

/** One fault's world: its traveller and its tour, so faults never see each other's rows. */
export interface FaultScope {
  traveller: Traveller;
  tourId: string;
}

export async function bookingsOf(p: Platform, scope: FaultScope): Promise<BookingRow[]> {
  const body = expectAnswer(
    await scope.traveller.client.GET('/v1/bookings', {
      params: { query: { tour: scope.tourId, limit: 100 } },
    }),
    200,
    'the traveller’s bookings',
  );
  return body.items.map((b) => ({
    id: b.id,
    tourId: b.tourId,
    status: b.status,
    travellers: b.travellers,
    totalCents: b.price.totalCents,
    expiresAt: b.expiresAt,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  }));
}

/**
 * Polls until every booking of the scope is terminal or a reservation and has the e-mail its
 * state calls for, or `timeoutMs` passes (then the checks report what is still in flight).
 */
export async function waitUntilSettled(
  p: Platform,
  scope: FaultScope,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const bookings = await bookingsOf(p, scope);
      // Wait out the reconcilers' pending states too (their test-sized bounds are shorter than
      // the wait); only a reservation waits for its traveller, beyond any test.
      const settled = bookings.every(
        (b) => TERMINAL_STATUSES.includes(b.status) || b.status === 'RESERVED_PENDING_PAYMENT',
      );
      const received = new Set(p.smtp.messages.map((m) => m.messageId));
      const mailed = bookings.every((b) => {
        const due = mailDue(b);
        return due === null || received.has(messageIdOf(due));
      });
      // Payment's own unknown outcomes (PENDING charges) settle by its reconciler
      // (test-sized in the suite): until then its records and the provider's ledger differ.
      const paymentsSettled =
        settled &&
        (
          await Promise.all(
            bookings.map(async (b) => {
              const response = await p
                .internal('payment')
                .get(`/internal/payments?bookingId=${b.id}`);
              return (
                response.status === 200 &&
                (response.body.items as JsonBody[]).every((payment) => payment.status !== 'PENDING')
              );
            }),
          )
        ).every(Boolean);
      if (settled && mailed && paymentsSettled) return;
    } catch {
      // A service still coming back: poll again.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every dedupe key booking may use for one of its bookings (booking's src/domain/outbox-messages.ts). */
function dedupeKeysOf(bookingId: string): string[] {
  return [
    `booking-confirmed:${bookingId}`,
    `payment-link:${bookingId}`,
    `support-alert:payment-failed:${bookingId}`,
    `refund:${bookingId}`,
  ];
}

export async function collectRows(
  p: Platform,
  scope: FaultScope,
  bounds: SagaBounds,
): Promise<FaultRows> {
  const checkedAt = new Date().toISOString();
  const bookings = await bookingsOf(p, scope);
  const availability = expectStatus(
    await p.internal('catalog').get(`/v1/tours/${scope.tourId}/availability`),
    200,
    'availability',
  );
  const payments = (
    await Promise.all(
      bookings.map(async (b) => {
        const body = expectStatus(
          await p.internal('payment').get(`/internal/payments?bookingId=${b.id}`),
          200,
          'payments of a booking',
        );
        return body.items as JsonBody[];
      }),
    )
  )
    .flat()
    .map((payment) => ({
      id: payment.id,
      bookingId: payment.bookingId,
      status: payment.status,
      amountCents: payment.amountCents,
      refundedCents: payment.refundedCents,
    }));
  const providerOperations = await providerLedger(
    p,
    bookings.map((b) => b.id),
  );
  const ours = new Set(bookings.flatMap((b) => dedupeKeysOf(b.id)).map(messageIdOf));
  const mails = p.smtp.messages
    .filter(
      (m) =>
        (m.messageId !== undefined && ours.has(m.messageId)) ||
        m.envelope.to.includes(scope.traveller.email),
    )
    .map((m) => ({
      messageId: m.messageId,
      recipient: m.envelope.to.join(','),
      subject: m.subject,
      notification: m.headers['x-tourkit-notification'],
      retransmissions: m.retransmissions,
    }));
  return {
    bookings,
    tours: [{ tourId: scope.tourId, bookedSeats: availability.bookedSeats }],
    payments,
    providerOperations,
    mails,
    checkedAt,
    bounds,
  };
}

/**
 * What the provider carried out: the simulator's ledger, read through payment's internal
 * simulator API as an auditor reads the bank's statement, because it is the one record of money
 * that payment's own rows may not know about. booking's Idempotency-Keys name the booking
 * (`booking:<id>` for the charge, `booking:<id>:refund`), so the prefix `booking:<id>` finds both.
 */
async function providerLedger(
  p: Platform,
  bookingIds: readonly string[],
): Promise<ProviderOperationRow[]> {
  const perBooking = await Promise.all(
    bookingIds.map(async (bookingId) => {
      const body = expectStatus(
        await p
          .internal('payment')
          .get(`/internal/simulator/operations?idempotencyKeyPrefix=booking:${bookingId}`),
        200,
        "the provider's ledger of a booking",
      );
      return (body.items as JsonBody[]).map((operation) => ({
        bookingId,
        kind: operation.kind as ProviderOperationRow['kind'],
        amountCents: operation.amountCents as number,
      }));
    }),
  );
  return perBooking.flat();
}
