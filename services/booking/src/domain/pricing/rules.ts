/**
 * The tunable part of pricing. Every rate is in basis points (1 % = 100 bp).
 * The order in which the rules apply and how they round is fixed in quote.ts (see README).
 */
export interface PricingRules {
  group: {
    /** The group discount applies when travellers >= minTravellers ("above 5" → 6). */
    minTravellers: number;
    basisPoints: number;
  };
  earlyBird: {
    /** Applies when the booking is made at least this many whole days before the tour starts. */
    minDaysAhead: number;
    basisPoints: number;
  };
  /** Upper bound of promo + group + early-bird together, as a share of the base price. */
  maxDiscountBasisPoints: number;
  vat: {
    /** ISO 3166-1 alpha-2 (upper case) → VAT rate. */
    byCountry: Readonly<Record<string, number>>;
    /** Rate for a country absent from byCountry. */
    defaultBasisPoints: number;
  };
}

export const defaultPricingRules: PricingRules = {
  group: { minTravellers: 6, basisPoints: 1_000 },
  earlyBird: { minDaysAhead: 60, basisPoints: 500 },
  maxDiscountBasisPoints: 5_000,
  vat: { byCountry: { FR: 2_000, DE: 1_900 }, defaultBasisPoints: 2_000 },
};
