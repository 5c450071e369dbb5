import { z } from 'zod';
import {
  databaseConfigShape,
  defineConfig,
  demoDataShape,
  env,
  internalTokenShape,
  loadConfig,
  tokenVerifierConfigShape,
} from '@tourkit/kit';
import { MIN_SECRET_BYTES } from './domain/payment-link.js';
import { retryDelaysMs } from './domain/payment-retry.js';
import { percentToBasisPoints, type PricingRules } from './domain/pricing/index.js';
import { bookingRetentionShape } from './background/retention.js';

// The manifests' tests (cdk8s) check the retry waits a deployment's environment gives.
export { retryDelaysMs };
// The fault suite (e2e) derives how long a booking stranded by a Redis outage may wait from it.
export { STRANDED_AFTER_MS } from './background/requeue-stranded-payments.js';

const percent = (defaultValue: number) =>
  z.coerce
    .number()
    .min(0)
    .max(100)
    .refine((value) => Number.isInteger(value * 100), 'at most two decimals')
    .default(defaultValue);

/** "FR:20,DE:19,IT:22" → { FR: 2000, DE: 1900, IT: 2200 }. */
const vatRates = z
  .string()
  .default('FR:20,DE:19')
  .transform((text, ctx) => {
    const rates: Record<string, number> = {};
    for (const entry of text
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const match = /^([A-Z]{2}):(\d{1,2}(?:\.\d{1,2})?|100)$/.exec(entry);
      if (!match) {
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is not COUNTRY:PERCENT (e.g. FR:20,DE:19)`,
        });
        return z.NEVER;
      }
      rates[match[1]!] = percentToBasisPoints(Number(match[2]));
    }
    return rates;
  });

export const bookingConfigSchema = defineConfig({
  SERVICE_NAME: z.string().min(1).default('booking'),
  PORT: env.int(8083, 0, 65535),
  ...databaseConfigShape('postgres://postgres@127.0.0.1:5432/tourkit_booking'),
  // SEED_DEMO_DATA inserts the demo promo codes of demo-data/promo-codes.sql.
  ...demoDataShape,
  CATALOG_URL: env.url('http://127.0.0.1:8081'),
  CATALOG_TIMEOUT_MS: env.int(2_000, 50, 30_000),
  ...tokenVerifierConfigShape,
  ...internalTokenShape,
  /** VAT country used when neither the request nor the token names one. */
  DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in upper case')
    .default('FR'),
  PRICING_VAT_RATES: vatRates,
  PRICING_DEFAULT_VAT_PERCENT: percent(20),
  PRICING_GROUP_MIN_TRAVELLERS: env.int(6, 2, 100),
  PRICING_GROUP_DISCOUNT_PERCENT: percent(10),
  PRICING_EARLY_BIRD_DAYS: env.int(60, 1, 3_650),
  PRICING_EARLY_BIRD_PERCENT: percent(5),
  PRICING_MAX_DISCOUNT_PERCENT: percent(50),

  // Booking ↔ payment: the queue, its retries, the circuit breaker, the outbox (src/background).
  PAYMENT_URL: env.url('http://127.0.0.1:8085'),
  REDIS_URL: env.url('redis://127.0.0.1:6379'),
  /** BullMQ key prefix of the payment queue. */
  QUEUE_PREFIX: z.string().min(1).max(100).default('tourkit:booking'),
  /** Run the payment worker in this process (false: an API-only replica). */
  PAYMENT_WORKER: env.boolean(true),
  PAYMENT_WORKER_CONCURRENCY: env.int(5, 1, 100),
  /** First try + retries (1 + 5 by default). */
  PAYMENT_ATTEMPTS: env.int(6, 1, 20),
  /** Delay before the first retry, doubled for each next one (1, 2, 4, 8, 16 s). */
  PAYMENT_RETRY_BASE_MS: env.int(1_000, 1, 600_000),
  /** Circuit breaker: a call slower than this fails (and is the HTTP timeout). */
  PAYMENT_TIMEOUT_MS: env.int(5_000, 50, 60_000),
  PAYMENT_BREAKER_ERROR_PERCENT: env.int(50, 1, 100),
  PAYMENT_BREAKER_RESET_MS: env.int(30_000, 10, 3_600_000),
  /** Calls in the rolling window before the error percentage can open the circuit. */
  PAYMENT_BREAKER_VOLUME: env.int(5, 1, 1_000),
  NOTIFICATION_URL: env.url('http://127.0.0.1:8086'),
  NOTIFICATION_TIMEOUT_MS: env.int(2_000, 50, 30_000),
  /** Where travellers open the web app: payment links are <PUBLIC_URL>/pay/<bookingId>?t=<token>. */
  PUBLIC_URL: env.url('http://127.0.0.1:8080'),
  /** HMAC key that signs payment links; a secret (like INTERNAL_TOKEN), at least 32 bytes. */
  PAYMENT_LINK_SECRET: z
    .string()
    .refine(
      (value) => Buffer.byteLength(value, 'utf8') >= MIN_SECRET_BYTES,
      `must be at least ${MIN_SECRET_BYTES} bytes`,
    ),
  /** Recipient of support alerts (payments that failed for good). */
  SUPPORT_EMAIL: z.email({ message: 'must be an e-mail address' }).default('support@tourkit.local'),
  /** How long a pay-later reservation (circuit open) holds its seats. */
  RESERVATION_TTL_HOURS: env.int(24, 1, 24 * 14),
  EXPIRY_SWEEP_INTERVAL_MS: env.int(60_000, 100, 3_600_000),
  // Retention of delivered outbox rows, idempotency keys and finished payment jobs (src/background/retention.ts).
  ...bookingRetentionShape,
  OUTBOX_INTERVAL_MS: env.int(1_000, 10, 600_000),
  /** First retry delay of an undelivered e-mail, seat release or refund (doubles, capped at 5 min). */
  OUTBOX_RETRY_BASE_MS: env.int(1_000, 10, 300_000),
  REQUEUE_INTERVAL_MS: env.int(60_000, 100, 3_600_000),
  /** How often the saga reconcilers settle RESERVING_SEATS and PAYMENT_UNKNOWN bookings (and refresh their gauges). */
  SAGA_RECONCILE_INTERVAL_MS: env.int(5_000, 10, 600_000),
  /** A RESERVING_SEATS booking this old is no longer its request's: the reconciler repeats the reserve. */
  SEAT_RETRY_AFTER_MS: env.int(30_000, 0, 3_600_000),
  /** A RESERVING_SEATS booking without an answer from catalog this long ends EXPIRED. */
  SEAT_RESERVATION_TIMEOUT_MS: env.int(600_000, 1, 86_400_000),
  /** A PAYMENT_UNKNOWN booking unsettled this long ends PAYMENT_FAILED (refund if captured, support alert). */
  PAYMENT_UNKNOWN_TIMEOUT_MS: env.int(1_800_000, 1, 7 * 86_400_000),
});

export type BookingConfig = z.output<typeof bookingConfigSchema>;

export function loadBookingConfig(
  environment: Record<string, string | undefined> = process.env,
): BookingConfig {
  return loadConfig(bookingConfigSchema, environment);
}

export function pricingRulesFrom(config: BookingConfig): PricingRules {
  return {
    group: {
      minTravellers: config.PRICING_GROUP_MIN_TRAVELLERS,
      basisPoints: percentToBasisPoints(config.PRICING_GROUP_DISCOUNT_PERCENT),
    },
    earlyBird: {
      minDaysAhead: config.PRICING_EARLY_BIRD_DAYS,
      basisPoints: percentToBasisPoints(config.PRICING_EARLY_BIRD_PERCENT),
    },
    maxDiscountBasisPoints: percentToBasisPoints(config.PRICING_MAX_DISCOUNT_PERCENT),
    vat: {
      byCountry: config.PRICING_VAT_RATES,
      defaultBasisPoints: percentToBasisPoints(config.PRICING_DEFAULT_VAT_PERCENT),
    },
  };
}

/** The background runtime's settings (src/background/runtime.ts) from the environment. */
export function backgroundSettings(config: BookingConfig) {
  return {
    redisUrl: config.REDIS_URL,
    queuePrefix: config.QUEUE_PREFIX,
    retry: { attempts: config.PAYMENT_ATTEMPTS, baseDelayMs: config.PAYMENT_RETRY_BASE_MS },
    breaker: {
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      errorThresholdPercentage: config.PAYMENT_BREAKER_ERROR_PERCENT,
      resetTimeoutMs: config.PAYMENT_BREAKER_RESET_MS,
      volumeThreshold: config.PAYMENT_BREAKER_VOLUME,
    },
    workerConcurrency: config.PAYMENT_WORKER_CONCURRENCY,
    publicUrl: config.PUBLIC_URL,
    supportEmail: config.SUPPORT_EMAIL,
    reservationTtlMs: config.RESERVATION_TTL_HOURS * 3_600_000,
    outboxIntervalMs: config.OUTBOX_INTERVAL_MS,
    outboxRetryBaseMs: config.OUTBOX_RETRY_BASE_MS,
    expirySweepIntervalMs: config.EXPIRY_SWEEP_INTERVAL_MS,
    requeueIntervalMs: config.REQUEUE_INTERVAL_MS,
    sagaIntervalMs: config.SAGA_RECONCILE_INTERVAL_MS,
    bounds: {
      seatRetryAfterMs: config.SEAT_RETRY_AFTER_MS,
      seatReservationMs: config.SEAT_RESERVATION_TIMEOUT_MS,
      paymentUnknownMs: config.PAYMENT_UNKNOWN_TIMEOUT_MS,
    },
  };
}
