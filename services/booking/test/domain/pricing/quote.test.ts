import fc from 'fast-check';
import {
  applyBasisPoints,
  defaultPricingRules,
  PricingError,
  quotePrice,
  type PricingRules,
  type PromoCode,
  type QuoteInput,
} from '../../../src/domain/pricing/index.js';

const bookedAt = new Date('2025-06-01T10:00:00Z');
/** Ten days after bookedAt: no early-bird unless a test wants it. */
const soon = new Date('2025-06-11T09:00:00Z');

function input(overrides: Partial<QuoteInput> = {}): QuoteInput {
  return {
    tour: { priceCents: 10_000, seasons: [], startsAt: soon },
    travellers: 2,
    country: 'FR',
    bookedAt,
    rules: defaultPricingRules,
    ...overrides,
  };
}

const summer: PromoCode = {
  code: 'SUMMER2025',
  percent: 10,
  expiresAt: new Date('2025-09-01T00:00:00Z'),
  singleUsePerUser: true,
  alreadyUsedByUser: false,
};

describe('quotePrice — the course example (base × travellers, promo %, TVA 20 %)', () => {
  test.each([
    // travellers, unit, promo, country, base, discount, subtotal, tax, total
    [1, 10_000, undefined, 'FR', 10_000, 0, 10_000, 2_000, 12_000],
    [2, 10_000, summer, 'FR', 20_000, 2_000, 18_000, 3_600, 21_600],
    [3, 4_999, summer, 'FR', 14_997, 1_500, 13_497, 2_699, 16_196],
    [2, 10_000, summer, 'DE', 20_000, 2_000, 18_000, 3_420, 21_420],
    [4, 2_550, undefined, 'DE', 10_200, 0, 10_200, 1_938, 12_138],
  ] as const)(
    '%i × %i cents, promo %o, %s',
    (travellers, unit, promo, country, base, discount, subtotal, tax, total) => {
      const quote = quotePrice(
        input({
          tour: { priceCents: unit, seasons: [], startsAt: soon },
          travellers,
          country,
          promoCode: promo?.code,
          promo,
        }),
      );
      expect(quote).toMatchObject({
        basePriceCents: base,
        discountCents: discount,
        subtotalCents: subtotal,
        taxCents: tax,
        totalCents: total,
        currency: 'EUR',
      });
    },
  );

  test('lists the rules that applied with their signed amounts', () => {
    const quote = quotePrice(input({ promoCode: 'SUMMER2025', promo: summer }));
    expect(quote.rulesApplied.map((r) => [r.rule, r.amountCents])).toEqual([
      ['promo', -2_000],
      ['vat', 3_600],
    ]);
    expect(quote.promoCode).toBe('SUMMER2025');
  });
});

describe('quotePrice — each rule', () => {
  const seasons = [
    { name: 'high', from: '2025-07-01', until: '2025-08-31', priceCents: 15_000 },
    { name: 'low', from: '2025-11-01', until: '2026-03-31', priceCents: 8_000 },
  ];

  test.each([
    ['2025-06-30T23:59:59Z', 10_000, undefined],
    ['2025-07-01T00:00:00Z', 15_000, 'high'],
    ['2025-08-31T23:59:59Z', 15_000, 'high'],
    ['2025-09-01T00:00:00Z', 10_000, undefined],
    ['2026-01-15T08:00:00Z', 8_000, 'low'],
  ])('a tour starting %s costs %i per traveller (season %s)', (startsAt, unit, season) => {
    const quote = quotePrice(
      input({
        tour: { priceCents: 10_000, seasons, startsAt: new Date(startsAt) },
        bookedAt: new Date('2025-06-29T00:00:00Z'),
        rules: { ...defaultPricingRules, earlyBird: { minDaysAhead: 10_000, basisPoints: 500 } },
      }),
    );
    expect(quote.unitPriceCents).toBe(unit);
    expect(quote.basePriceCents).toBe(unit * 2);
    const seasonRule = quote.rulesApplied.find((r) => r.rule === 'season');
    expect(seasonRule?.amountCents).toBe(season ? (unit - 10_000) * 2 : undefined);
  });

  test('group discount from 6 travellers, not at 5', () => {
    const five = quotePrice(input({ travellers: 5 }));
    const six = quotePrice(input({ travellers: 6 }));
    expect(five.discountCents).toBe(0);
    expect(six.basePriceCents).toBe(60_000);
    expect(six.discountCents).toBe(6_000);
    expect(six.rulesApplied.find((r) => r.rule === 'group')?.amountCents).toBe(-6_000);
  });

  test('group threshold and rate are configurable', () => {
    const rules: PricingRules = {
      ...defaultPricingRules,
      group: { minTravellers: 3, basisPoints: 1_500 },
    };
    expect(quotePrice(input({ travellers: 3, rules })).discountCents).toBe(4_500);
  });

  test('early-bird from exactly 60 whole days ahead', () => {
    const startsAt = new Date('2025-08-01T10:00:00Z');
    const atSixty = new Date(startsAt.getTime() - 60 * 86_400_000);
    const justUnder = new Date(atSixty.getTime() + 1);
    const tour = { priceCents: 10_000, seasons: [], startsAt };
    expect(quotePrice(input({ tour, bookedAt: atSixty })).discountCents).toBe(1_000);
    expect(quotePrice(input({ tour, bookedAt: justUnder })).discountCents).toBe(0);
  });

  test('discounts add up on the base (promo + group + early-bird)', () => {
    const startsAt = new Date('2025-12-01T10:00:00Z');
    const quote = quotePrice(
      input({
        tour: { priceCents: 10_000, seasons: [], startsAt },
        travellers: 6,
        promoCode: 'SUMMER2025',
        promo: summer,
      }),
    );
    // 10 % + 10 % + 5 % of 60 000
    expect(quote.discountCents).toBe(15_000);
    expect(quote.rulesApplied.map((r) => r.rule)).toEqual(['promo', 'group', 'early-bird', 'vat']);
    expect(quote.subtotalCents).toBe(45_000);
    expect(quote.taxCents).toBe(9_000);
  });

  test('the cap cuts the later discounts first', () => {
    const big: PromoCode = { ...summer, percent: 45 };
    const quote = quotePrice(input({ travellers: 6, promoCode: big.code, promo: big }));
    // 45 % promo + 10 % group, capped at 50 % of 60 000
    expect(quote.discountCents).toBe(30_000);
    expect(quote.rulesApplied.filter((r) => r.rule !== 'vat').map((r) => r.amountCents)).toEqual([
      -27_000, -3_000,
    ]);
  });

  test('VAT falls back to the configured default for other countries', () => {
    const rules: PricingRules = {
      ...defaultPricingRules,
      vat: { byCountry: { FR: 2_000, DE: 1_900, LU: 1_700 }, defaultBasisPoints: 2_100 },
    };
    expect(quotePrice(input({ country: 'LU', rules })).taxCents).toBe(3_400);
    expect(quotePrice(input({ country: 'BE', rules })).taxCents).toBe(4_200);
  });

  test('rounds half-up at each step', () => {
    // 10 % of 105 = 10.5 → 11; VAT 20 % of 94 = 18.8 → 19
    const quote = quotePrice(
      input({
        tour: { priceCents: 105, seasons: [], startsAt: soon },
        travellers: 1,
        promoCode: 'X',
        promo: { ...summer, code: 'X' },
      }),
    );
    expect(quote).toMatchObject({
      discountCents: 11,
      subtotalCents: 94,
      taxCents: 19,
      totalCents: 113,
    });
  });
});

describe('quotePrice — refusals', () => {
  const refusal = (overrides: Partial<QuoteInput>) => {
    try {
      quotePrice(input(overrides));
    } catch (error) {
      if (error instanceof PricingError) return [error.field, error.reason];
      throw error;
    }
    throw new Error('expected a PricingError');
  };

  test('unknown promo code', () => {
    expect(refusal({ promoCode: 'NOPE', promo: null })).toEqual(['promoCode', 'unknown-promo']);
  });
  test('expired promo code (expiry is exclusive)', () => {
    expect(refusal({ promoCode: summer.code, promo: { ...summer, expiresAt: bookedAt } })).toEqual([
      'promoCode',
      'expired-promo',
    ]);
  });
  test('single-use promo already used by this user', () => {
    expect(
      refusal({ promoCode: summer.code, promo: { ...summer, alreadyUsedByUser: true } }),
    ).toEqual(['promoCode', 'promo-already-used']);
  });
  test('a reusable promo may be used again', () => {
    const reusable = { ...summer, singleUsePerUser: false, alreadyUsedByUser: true };
    expect(quotePrice(input({ promoCode: summer.code, promo: reusable })).discountCents).toBe(
      2_000,
    );
  });
  test('a tour that has started', () => {
    expect(refusal({ bookedAt: soon })).toEqual(['tourId', 'tour-started']);
  });
  test.each([0, -1, 1.5, 101])('travellers %p', (travellers) => {
    expect(refusal({ travellers })).toEqual(['travellers', 'invalid-input']);
  });
  test.each(['fr', 'FRA', ''])('country %p', (country) => {
    expect(refusal({ country })).toEqual(['country', 'invalid-input']);
  });
});

describe('quotePrice — properties', () => {
  const DAY = 86_400_000;
  const arbitraryInput = fc.record({
    priceCents: fc.integer({ min: 0, max: 100_000_000 }),
    seasonPriceCents: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: undefined }),
    travellers: fc.integer({ min: 1, max: 100 }),
    country: fc.constantFrom('FR', 'DE', 'IT', 'ES', 'US'),
    promoPercent: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
    daysAhead: fc.integer({ min: 0, max: 400 }),
    groupBp: fc.integer({ min: 0, max: 10_000 }),
    earlyBirdBp: fc.integer({ min: 0, max: 10_000 }),
    capBp: fc.integer({ min: 0, max: 10_000 }),
    vatBp: fc.integer({ min: 0, max: 5_000 }),
  });

  function build(a: typeof arbitraryInput extends fc.Arbitrary<infer T> ? T : never): QuoteInput {
    const startsAt = new Date(bookedAt.getTime() + a.daysAhead * DAY + 3_600_000);
    const day = startsAt.toISOString().slice(0, 10);
    return {
      tour: {
        priceCents: a.priceCents,
        seasons:
          a.seasonPriceCents === undefined
            ? []
            : [{ name: 's', from: day, until: day, priceCents: a.seasonPriceCents }],
        startsAt,
      },
      travellers: a.travellers,
      country: a.country,
      bookedAt,
      promoCode: a.promoPercent === undefined ? undefined : 'P',
      promo:
        a.promoPercent === undefined
          ? undefined
          : { ...summer, code: 'P', percent: a.promoPercent, expiresAt: null },
      rules: {
        group: { minTravellers: 6, basisPoints: a.groupBp },
        earlyBird: { minDaysAhead: 60, basisPoints: a.earlyBirdBp },
        maxDiscountBasisPoints: a.capBp,
        vat: { byCountry: { FR: 2_000, DE: 1_900 }, defaultBasisPoints: a.vatBp },
      },
    };
  }

  test('the breakdown adds up, in non-negative integers', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) => {
        const q = quotePrice(build(a));
        for (const v of [
          q.basePriceCents,
          q.discountCents,
          q.subtotalCents,
          q.taxCents,
          q.totalCents,
        ]) {
          expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
        }
        expect(q.totalCents).toBe(q.subtotalCents + q.taxCents);
        expect(q.subtotalCents).toBe(q.basePriceCents - q.discountCents);
        expect(q.basePriceCents).toBe(q.unitPriceCents * q.travellers);
        const discountRules = q.rulesApplied.filter((r) =>
          ['promo', 'group', 'early-bird'].includes(r.rule),
        );
        expect(0 - discountRules.reduce((sum, r) => sum + r.amountCents, 0)).toBe(q.discountCents);
        expect(q.rulesApplied.find((r) => r.rule === 'vat')?.amountCents).toBe(q.taxCents);
      }),
    );
  });

  test('the discount never exceeds the cap, hence never the base', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) => {
        const q = quotePrice(build(a));
        expect(q.discountCents).toBeLessThanOrEqual(applyBasisPoints(q.basePriceCents, a.capBp));
        expect(q.discountCents).toBeLessThanOrEqual(q.basePriceCents);
      }),
    );
  });

  test('a higher VAT rate never lowers the tax or the total', () => {
    fc.assert(
      fc.property(arbitraryInput, fc.integer({ min: 0, max: 5_000 }), (a, extra) => {
        const low = quotePrice(build({ ...a, country: 'US' }));
        const high = quotePrice(build({ ...a, country: 'US', vatBp: a.vatBp + extra }));
        expect(high.taxCents).toBeGreaterThanOrEqual(low.taxCents);
        expect(high.totalCents).toBeGreaterThanOrEqual(low.totalCents);
        expect(high.subtotalCents).toBe(low.subtotalCents);
      }),
    );
  });

  test('a valid promo code never raises the price', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) => {
        const without = quotePrice(build({ ...a, promoPercent: undefined }));
        const withPromo = quotePrice(build({ ...a, promoPercent: a.promoPercent ?? 10 }));
        expect(withPromo.totalCents).toBeLessThanOrEqual(without.totalCents);
      }),
    );
  });

  test('is deterministic', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) =>
        expect(quotePrice(build(a))).toEqual(quotePrice(build(a))),
      ),
    );
  });
});
