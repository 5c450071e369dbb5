import {
  cancellationRefusal,
  parseDuration,
  requestFingerprint,
} from '../../src/domain/booking.js';

describe('booking domain helpers', () => {
  test.each([
    ['24h', 86_400_000],
    ['90m', 5_400_000],
    ['2d', 172_800_000],
    ['30s', 30_000],
    ['24', null],
    ['-1h', null],
    ['1.5h', null],
  ])('parseDuration(%p) = %p', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test('the request fingerprint ignores field order and tour id case, not values', () => {
    const base = { tourId: 'ABCDEF00-0000-4000-8000-000000000001', travellers: 2, country: 'FR' };
    expect(requestFingerprint(base)).toBe(
      requestFingerprint({ country: 'FR', travellers: 2, tourId: base.tourId.toLowerCase() }),
    );
    expect(requestFingerprint(base)).not.toBe(requestFingerprint({ ...base, travellers: 3 }));
    expect(requestFingerprint(base)).not.toBe(requestFingerprint({ ...base, promoCode: 'X' }));
  });

  test('only active bookings of tours not yet started can be cancelled', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const later = new Date('2030-01-02T00:00:00Z');
    expect(cancellationRefusal({ status: 'PENDING_PAYMENT', tourStartsAt: later }, now)).toBeNull();
    expect(cancellationRefusal({ status: 'CONFIRMED', tourStartsAt: later }, now)).toBeNull();
    expect(cancellationRefusal({ status: 'CANCELLED', tourStartsAt: later }, now)).toMatch(
      /CANCELLED/,
    );
    expect(cancellationRefusal({ status: 'EXPIRED', tourStartsAt: later }, now)).toMatch(/EXPIRED/);
    expect(cancellationRefusal({ status: 'CONFIRMED', tourStartsAt: now }, now)).toMatch(/started/);
  });
});
