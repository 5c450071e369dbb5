import type { Logger } from 'pino';
import type { Pool } from '@tourkit/kit';
import type { Catalog } from '../clients/catalog.js';
import type { PricingRules } from '../domain/pricing/index.js';

/** What the use cases need of the background runtime (src/background/runtime.ts). */
export interface PaymentPort {
  /** False while the circuit breaker around payment is open. */
  acceptsPayments(): boolean;
  /** Puts the booking's payment on the queue (once at a time: the job id is the booking id; a finished job is replaced). */
  enqueue(bookingId: string): Promise<void>;
  /** New outbox messages were committed: deliver them now. */
  wakeOutbox(): void;
  publicUrl: string;
  reservationTtlMs: number;
  /** Recipient of support alerts (a payment that failed for good). */
  supportEmail: string;
}

/** Everything a booking use case may touch, built once by createBookingApp. */
export interface BookingContext {
  pool: Pool;
  catalog: Catalog;
  rules: PricingRules;
  logger: Logger;
  now: () => Date;
  onBookingStatus?: (status: string) => void;
  payments: PaymentPort;
  /** HMAC key of the pay-later links (src/domain/payment-link.ts). */
  paymentLinkSecret: string;
}
