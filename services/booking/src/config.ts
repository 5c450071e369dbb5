import { z } from 'zod';
import { defineConfig, env, loadConfig } from '@tourkit/kit';
import { percentToBasisPoints, type PricingRules } from './pricing/index.js';

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
  DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/tourkit_booking'),
  /** Apply pending migrations at start-up (under node-pg-migrate's lock, so replicas do not race). */
  MIGRATE_ON_START: env.boolean(true),
  /** Insert the demo promo codes of seed/dev-promo-codes.sql at start-up (`make dev`). */
  SEED_DEMO_DATA: env.boolean(false),
  CATALOG_URL: env.url('http://127.0.0.1:8081'),
  CATALOG_TIMEOUT_MS: env.int(2_000, 50, 30_000),
  JWT_PUBLIC_KEY: env.pem(),
  JWT_ISSUER: z.string().min(1).default('tourkit-user'),
  JWT_AUDIENCE: z.string().min(1).default('tourkit'),
  INTERNAL_TOKEN: env.secret(),
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
