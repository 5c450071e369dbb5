import {
  STRANDED_AFTER_MS,
  loadBookingConfig,
  retryDelaysMs,
  type BookingConfig,
} from '@tourkit/booking/config';
import { loadGatewayConfig, type GatewayConfig } from '@tourkit/gateway/config';
import { loadNotificationConfig, type NotificationConfig } from '@tourkit/notification/config';
import { loadPaymentConfig, type PaymentConfig } from '@tourkit/payment/config';
import type { SagaBounds } from './invariants.js';

// How long the fault suite waits for anything, derived in this one place from the environment the
// suite gives the services (parsed by each service's own config loader, so a default the suite
// does not set counts as the service sees it). Each wait is the bound of what it waits for plus
// GRACE_MS once. Pure: unit-tested in ./bounds.test.ts.

/**
 * Scheduling delay on a loaded machine: two cores shared with a whole CI run (load average 25–30
 * seen) run a timer, a poll or a process's next step seconds late. Added once to each wait, never
 * multiplied: it covers the machine, not the platform.
 */
export const GRACE_MS = 15_000;

/**
 * What the suite gives the services on top of the platform's test-sized timings
 * (support/platform.ts): the saga's and payment's bounds test-sized, so that every pending state
 * ends within the suite's wait, and what the faults need (the proxy in front of catalog is set
 * by the suite).
 */
export const FAULT_SUITE_ENV: Record<string, Record<string, string>> = {
  booking: {
    CATALOG_TIMEOUT_MS: '10000',
    PAYMENT_RETRY_BASE_MS: '200',
    PAYMENT_TIMEOUT_MS: '2000',
    PAYMENT_BREAKER_VOLUME: '3',
    // Longer than the whole retry schedule (6.2 s): an open circuit outlives a booking's attempts.
    PAYMENT_BREAKER_RESET_MS: '8000',
    DB_POOL_MAX: '12',
    SAGA_RECONCILE_INTERVAL_MS: '1000',
    // The request's own reserve (CATALOG_TIMEOUT_MS, retried) may still be running before this.
    SEAT_RETRY_AFTER_MS: '5000',
    SEAT_RESERVATION_TIMEOUT_MS: '20000',
    PAYMENT_UNKNOWN_TIMEOUT_MS: '20000',
  },
  catalog: { DB_POOL_MAX: '8' },
  payment: {
    DB_POOL_MAX: '8',
    // Its PENDING charges (a provider slower than PROVIDER_TIMEOUT_MS) reconciled before
    // booking's PAYMENT_UNKNOWN bound.
    RECONCILE_AFTER_MS: '5000',
    RECONCILE_INTERVAL_MS: '1000',
  },
  notification: { REMINDER_CRON: '0 0 1 1 *' },
};

/** The parsed configuration of the services whose timings the waits depend on. */
export interface FaultConfigs {
  booking: BookingConfig;
  payment: PaymentConfig;
  notification: NotificationConfig;
  gateway: GatewayConfig;
}

export function loadFaultConfigs(
  env: (service: string) => Readonly<Record<string, string>>,
): FaultConfigs {
  return {
    booking: loadBookingConfig(env('booking')),
    payment: loadPaymentConfig(env('payment')),
    notification: loadNotificationConfig(env('notification')),
    gateway: loadGatewayConfig(env('gateway')),
  };
}

export interface FaultBounds {
  graceMs: number;
  /** The saga's pending states' bounds, for the "settled" invariant. */
  saga: SagaBounds;
  /** A request through the gateway: its upstream timeout. */
  requestMs: number;
  /** A booking made when the fault is healed reaches its resting state (payment, reconcilers). */
  bookingMs: number;
  /** An e-mail a booking's step asked for is in the mailbox (booking's outbox, notification). */
  mailMs: number;
  /**
   * Once a fault is healed: every booking at rest and its e-mail received. An outage of D ms makes
   * the retries it met back off up to D more (each delay doubles the time waited so far): the
   * suite adds the injection's duration to this (settleDeadlineMs).
   */
  settleMs: number;
  /** The same for bookings a Redis outage left without a payment job (booking re-enqueues them). */
  strandedSettleMs: number;
  /** booking's payment circuit closed again (healthy start): its reset, then one probe. */
  circuitClosedMs: number;
  /** booking's payment circuit opened by failing charges: the first booking's whole schedule. */
  circuitOpenMs: number;
  /**
   * Bookings made against a slow provider each met it once: one charge timeout per round of
   * booking's payment workers.
   */
  slowChargesMs(bookings: number): number;
}

export function faultBounds(configs: FaultConfigs, graceMs = GRACE_MS): FaultBounds {
  const { booking: b, payment: p, notification: n, gateway: g } = configs;
  const retryDelays = retryDelaysMs({
    attempts: b.PAYMENT_ATTEMPTS,
    baseDelayMs: b.PAYMENT_RETRY_BASE_MS,
  });
  // Every attempt may take the whole timeout; a circuit the fault opened is waited for once.
  const paymentScheduleMs =
    b.PAYMENT_ATTEMPTS * b.PAYMENT_TIMEOUT_MS + sum(retryDelays) + b.PAYMENT_BREAKER_RESET_MS;
  // PAYMENT_UNKNOWN: payment settles its PENDING charge (its reconciler), booking asks it (its
  // reconciler); unanswered, booking ends it at PAYMENT_UNKNOWN_TIMEOUT_MS.
  const paymentUnknownMs =
    Math.max(
      b.PAYMENT_UNKNOWN_TIMEOUT_MS,
      p.RECONCILE_AFTER_MS + p.RECONCILE_INTERVAL_MS + b.SAGA_RECONCILE_INTERVAL_MS,
    ) + b.SAGA_RECONCILE_INTERVAL_MS;
  const seatReservationMs = b.SEAT_RESERVATION_TIMEOUT_MS + b.SAGA_RECONCILE_INTERVAL_MS;
  const bookingMs = Math.max(paymentScheduleMs, paymentUnknownMs, seatReservationMs);
  // booking's outbox picks the message up at its next pass; notification sends it at once, or,
  // after its own restart, once the dead worker's lease or job lock ends and recovery finds it.
  const outboxMs = b.OUTBOX_INTERVAL_MS + b.OUTBOX_RETRY_BASE_MS;
  const notificationMs =
    Math.max(n.SEND_LEASE_MS, n.QUEUE_LOCK_MS + n.QUEUE_STALLED_INTERVAL_MS) +
    n.RECOVERY_INTERVAL_MS +
    n.SEND_BACKOFF_MS +
    n.SMTP_TIMEOUT_MS;
  const mailMs = outboxMs + notificationMs;
  const settleMs = bookingMs + mailMs + graceMs;
  return {
    graceMs,
    saga: {
      seatReservationMs: b.SEAT_RESERVATION_TIMEOUT_MS,
      paymentUnknownMs: b.PAYMENT_UNKNOWN_TIMEOUT_MS,
      // The reconciler acts at its next round after the bound.
      graceMs: b.SAGA_RECONCILE_INTERVAL_MS + graceMs,
    },
    requestMs: g.UPSTREAM_TIMEOUT_MS + graceMs,
    bookingMs,
    mailMs,
    settleMs,
    strandedSettleMs: STRANDED_AFTER_MS + b.REQUEUE_INTERVAL_MS + settleMs,
    circuitClosedMs: b.PAYMENT_BREAKER_RESET_MS + b.PAYMENT_TIMEOUT_MS + graceMs,
    circuitOpenMs: paymentScheduleMs + graceMs,
    slowChargesMs: (bookings) =>
      Math.ceil(bookings / b.PAYMENT_WORKER_CONCURRENCY) * b.PAYMENT_TIMEOUT_MS +
      b.OUTBOX_INTERVAL_MS +
      graceMs,
  };
}

/** The settle wait of a fault whose injection lasted `injectionMs` (retries met back off that long at most). */
export function settleDeadlineMs(settleMs: number, injectionMs: number): number {
  return settleMs + injectionMs;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
