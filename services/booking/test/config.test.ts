import { ConfigError } from '@tourkit/kit';
import { loadBookingConfig, pricingRulesFrom } from '../src/config.js';

const required = {
  JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----',
  INTERNAL_TOKEN: 'a-long-enough-internal-secret',
  PAYMENT_LINK_SECRET: 'a-payment-link-key-of-at-least-32-bytes',
};

describe('booking config', () => {
  test('defaults give the documented pricing rules', () => {
    const rules = pricingRulesFrom(loadBookingConfig(required));
    expect(rules).toEqual({
      group: { minTravellers: 6, basisPoints: 1_000 },
      earlyBird: { minDaysAhead: 60, basisPoints: 500 },
      maxDiscountBasisPoints: 5_000,
      vat: { byCountry: { FR: 2_000, DE: 1_900 }, defaultBasisPoints: 2_000 },
    });
  });

  test('VAT rates and discounts are configurable', () => {
    const rules = pricingRulesFrom(
      loadBookingConfig({
        ...required,
        PRICING_VAT_RATES: 'FR:20, DE:19,IT:22,LU:16.5',
        PRICING_DEFAULT_VAT_PERCENT: '21',
        PRICING_GROUP_MIN_TRAVELLERS: '4',
        PRICING_EARLY_BIRD_PERCENT: '7.5',
      }),
    );
    expect(rules.vat).toEqual({
      byCountry: { FR: 2_000, DE: 1_900, IT: 2_200, LU: 1_650 },
      defaultBasisPoints: 2_100,
    });
    expect(rules.group.minTravellers).toBe(4);
    expect(rules.earlyBird.basisPoints).toBe(750);
  });

  test.each([
    ['PRICING_VAT_RATES', 'France=20'],
    ['PRICING_GROUP_DISCOUNT_PERCENT', '120'],
    ['PRICING_EARLY_BIRD_PERCENT', '5.125'],
    ['CATALOG_URL', 'not a url'],
    ['DEFAULT_COUNTRY', 'fr'],
  ])('a bad %s stops start-up naming it', (variable, value) => {
    let error: unknown;
    try {
      loadBookingConfig({ ...required, [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual([variable]);
  });

  test('INTERNAL_TOKEN, JWT_PUBLIC_KEY and PAYMENT_LINK_SECRET are required', () => {
    let error: unknown;
    try {
      loadBookingConfig({});
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'INTERNAL_TOKEN',
      'JWT_PUBLIC_KEY',
      'PAYMENT_LINK_SECRET',
    ]);
  });

  test('a PAYMENT_LINK_SECRET under 32 bytes stops start-up naming it', () => {
    expect(() => loadBookingConfig({ ...required, PAYMENT_LINK_SECRET: 'x'.repeat(31) })).toThrow(
      /PAYMENT_LINK_SECRET: must be at least 32 bytes/,
    );
    // Bytes, not characters: 16 two-byte characters are enough.
    expect(loadBookingConfig({ ...required, PAYMENT_LINK_SECRET: 'é'.repeat(16) })).toMatchObject({
      PAYMENT_LINK_SECRET: 'é'.repeat(16),
    });
  });
});
