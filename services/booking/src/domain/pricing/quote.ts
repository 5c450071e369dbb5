import {
  applyBasisPoints,
  assertNonNegativeInteger,
  formatBasisPoints,
  formatCents,
  percentToBasisPoints,
} from './money.js';
import type { PricingRules } from './rules.js';

/**
 * The price of a booking, from the tour's price, the travellers, the promo code and the
 * traveller's country. Pure: every fact (tour, promo lookup, clock) comes in as input.
 *
 * Order (each step rounds half-up to the cent):
 *   1. unit price = the season price whose [from, until] holds the tour's start date (UTC
 *      calendar day, first listed season wins), else the tour's base price;
 *   2. base = unit price × travellers;
 *   3. discounts, each a percentage OF THE BASE (they add up, they do not compound), applied in
 *      the order promo → group → early-bird, their sum capped at rules.maxDiscountBasisPoints of
 *      the base (a discount that would pass the cap is cut down, the later ones first);
 *   4. subtotal = base − discount;
 *   5. VAT = rate of the traveller's country × subtotal;
 *   6. total = subtotal + VAT.
 */

export const MAX_TRAVELLERS = 100;
/** One million euros per traveller keeps every intermediate product below 2^53. */
export const MAX_UNIT_PRICE_CENTS = 100_000_000;
const MS_PER_DAY = 86_400_000;

export interface SeasonPrice {
  name: string;
  /** First day of the season, YYYY-MM-DD, inclusive. */
  from: string;
  /** Last day of the season, YYYY-MM-DD, inclusive. */
  until: string;
  priceCents: number;
}

export interface TourPricing {
  priceCents: number;
  seasons: readonly SeasonPrice[];
  startsAt: Date;
}

/** A promo code as stored, plus whether this user has already redeemed it. */
export interface PromoCode {
  code: string;
  percent: number;
  /** Exclusive: the code no longer works at this instant. null = never expires. */
  expiresAt: Date | null;
  singleUsePerUser: boolean;
  alreadyUsedByUser: boolean;
}

export interface QuoteInput {
  tour: TourPricing;
  travellers: number;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** The code the traveller typed, if any. */
  promoCode?: string | undefined;
  /** The stored promo for promoCode; null/undefined when no such code exists. */
  promo?: PromoCode | null | undefined;
  /** When the quote (or booking) is made: decides promo expiry and early-bird. */
  bookedAt: Date;
  rules: PricingRules;
}

export type PricingRuleName = 'season' | 'promo' | 'group' | 'early-bird' | 'vat';

export interface AppliedRule {
  rule: PricingRuleName;
  detail: string;
  /** Signed effect on the price: discounts are negative, VAT positive, a season either. */
  amountCents: number;
}

export interface PriceQuote {
  unitPriceCents: number;
  travellers: number;
  country: string;
  vatBasisPoints: number;
  promoCode: string | null;
  basePriceCents: number;
  discountCents: number;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  currency: 'EUR';
  rulesApplied: AppliedRule[];
}

export type PricingErrorReason =
  'unknown-promo' | 'expired-promo' | 'promo-already-used' | 'tour-started' | 'invalid-input';

/** A quote that cannot be made; `field` names the request field to blame. */
export class PricingError extends Error {
  constructor(
    readonly field: string,
    readonly reason: PricingErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'PricingError';
  }
}

export function quotePrice(input: QuoteInput): PriceQuote {
  const { tour, travellers, rules } = input;
  validateInput(input);

  const rulesApplied: AppliedRule[] = [];
  const season = seasonFor(tour);
  const unitPriceCents = season?.priceCents ?? tour.priceCents;
  const basePriceCents = unitPriceCents * travellers;
  if (season) {
    rulesApplied.push({
      rule: 'season',
      detail: `${season.name} (${season.from}..${season.until}): ${formatCents(season.priceCents)} per traveller instead of ${formatCents(tour.priceCents)}`,
      amountCents: (season.priceCents - tour.priceCents) * travellers,
    });
  }

  const discounts = candidateDiscounts(input);
  let capLeftCents = applyBasisPoints(basePriceCents, rules.maxDiscountBasisPoints);
  let discountCents = 0;
  for (const discount of discounts) {
    const wanted = applyBasisPoints(basePriceCents, discount.basisPoints);
    const granted = Math.min(wanted, capLeftCents);
    capLeftCents -= granted;
    discountCents += granted;
    const capped =
      granted < wanted
        ? ` (cut from ${formatCents(wanted)}: discounts are capped at ${formatBasisPoints(rules.maxDiscountBasisPoints)} of the base)`
        : '';
    rulesApplied.push({
      rule: discount.rule,
      detail: `${discount.detail}: ${formatBasisPoints(discount.basisPoints)} of the base${capped}`,
      amountCents: 0 - granted,
    });
  }

  const subtotalCents = basePriceCents - discountCents;
  const vatBasisPoints = vatRateFor(input.country, rules);
  const taxCents = applyBasisPoints(subtotalCents, vatBasisPoints);
  rulesApplied.push({
    rule: 'vat',
    detail: `VAT ${input.country} ${formatBasisPoints(vatBasisPoints)} of the subtotal`,
    amountCents: taxCents,
  });

  return {
    unitPriceCents,
    travellers,
    country: input.country,
    vatBasisPoints,
    promoCode: discounts.some((d) => d.rule === 'promo') ? (input.promo?.code ?? null) : null,
    basePriceCents,
    discountCents,
    subtotalCents,
    taxCents,
    totalCents: subtotalCents + taxCents,
    currency: 'EUR',
    rulesApplied,
  };
}

export function vatRateFor(country: string, rules: PricingRules): number {
  return rules.vat.byCountry[country] ?? rules.vat.defaultBasisPoints;
}

/** Whole days between the booking and the tour's start (rounded down). */
export function daysAhead(bookedAt: Date, startsAt: Date): number {
  return Math.floor((startsAt.getTime() - bookedAt.getTime()) / MS_PER_DAY);
}

function seasonFor(tour: TourPricing): SeasonPrice | undefined {
  const tourDay = tour.startsAt.toISOString().slice(0, 10);
  return tour.seasons.find((s) => s.from <= tourDay && tourDay <= s.until);
}

interface CandidateDiscount {
  rule: 'promo' | 'group' | 'early-bird';
  detail: string;
  basisPoints: number;
}

function candidateDiscounts(input: QuoteInput): CandidateDiscount[] {
  const { rules, travellers } = input;
  const discounts: CandidateDiscount[] = [];
  const promo = validPromo(input);
  if (promo) {
    discounts.push({
      rule: 'promo',
      detail: `promo code ${promo.code}`,
      basisPoints: percentToBasisPoints(promo.percent),
    });
  }
  if (travellers >= rules.group.minTravellers && rules.group.basisPoints > 0) {
    discounts.push({
      rule: 'group',
      detail: `group of ${travellers} (from ${rules.group.minTravellers} travellers)`,
      basisPoints: rules.group.basisPoints,
    });
  }
  const ahead = daysAhead(input.bookedAt, input.tour.startsAt);
  if (ahead >= rules.earlyBird.minDaysAhead && rules.earlyBird.basisPoints > 0) {
    discounts.push({
      rule: 'early-bird',
      detail: `booked ${ahead} days ahead (from ${rules.earlyBird.minDaysAhead})`,
      basisPoints: rules.earlyBird.basisPoints,
    });
  }
  return discounts;
}

function validPromo(input: QuoteInput): PromoCode | undefined {
  const code = input.promoCode;
  if (code === undefined || code === '') return undefined;
  const promo = input.promo;
  if (!promo) {
    throw new PricingError('promoCode', 'unknown-promo', `promo code ${code} does not exist`);
  }
  if (promo.expiresAt && input.bookedAt.getTime() >= promo.expiresAt.getTime()) {
    throw new PricingError(
      'promoCode',
      'expired-promo',
      `promo code ${promo.code} expired at ${promo.expiresAt.toISOString()}`,
    );
  }
  if (promo.singleUsePerUser && promo.alreadyUsedByUser) {
    throw new PricingError(
      'promoCode',
      'promo-already-used',
      `promo code ${promo.code} can be used once per user and you have already used it`,
    );
  }
  return promo;
}

function validateInput(input: QuoteInput): void {
  const { tour, travellers } = input;
  const invalid = (field: string, message: string) =>
    new PricingError(field, 'invalid-input', message);
  if (!Number.isSafeInteger(travellers) || travellers < 1 || travellers > MAX_TRAVELLERS) {
    throw invalid('travellers', `travellers must be an integer from 1 to ${MAX_TRAVELLERS}`);
  }
  if (!/^[A-Z]{2}$/.test(input.country)) {
    throw invalid('country', 'country must be an ISO 3166-1 alpha-2 code in upper case');
  }
  for (const [name, cents] of [
    ['tour.priceCents', tour.priceCents],
    ...tour.seasons.map((s, i) => [`tour.seasons[${i}].priceCents`, s.priceCents] as const),
  ] as const) {
    assertNonNegativeInteger(cents, name);
    if (cents > MAX_UNIT_PRICE_CENTS)
      throw new RangeError(`${name} exceeds ${MAX_UNIT_PRICE_CENTS}`);
  }
  if (input.promo) {
    const { percent } = input.promo;
    if (!(percent > 0 && percent <= 100)) {
      throw new RangeError(`promo ${input.promo.code} percent must be in (0, 100], got ${percent}`);
    }
  }
  if (tour.startsAt.getTime() <= input.bookedAt.getTime()) {
    throw new PricingError('tourId', 'tour-started', 'this tour has already started');
  }
}
