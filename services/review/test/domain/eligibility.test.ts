import { reviewEligibility, type BookingSummary } from '../../src/domain/eligibility.js';

const now = new Date('2030-06-01T12:00:00.000Z');

const booking = (status: string, tourStartsAt: string, id = 'b1'): BookingSummary => ({
  id,
  status,
  tourStartsAt: new Date(tourStartsAt),
});

describe('reviewEligibility', () => {
  test('no booking → not-booked', () => {
    expect(reviewEligibility([], now)).toMatchObject({ eligible: false, reason: 'not-booked' });
  });

  test.each([
    'PENDING_PAYMENT',
    'RESERVED_PENDING_PAYMENT',
    'PAYMENT_FAILED',
    'CANCELLED',
    'EXPIRED',
  ])('%s does not count, even for a past tour', (status) => {
    expect(reviewEligibility([booking(status, '2030-05-01T00:00:00Z')], now)).toMatchObject({
      eligible: false,
      reason: 'not-confirmed',
    });
  });

  test('confirmed, tour started strictly before now → eligible with that booking', () => {
    expect(
      reviewEligibility(
        [
          booking('CANCELLED', '2030-05-01T00:00:00Z', 'b0'),
          booking('CONFIRMED', '2030-06-01T11:59:59.999Z'),
        ],
        now,
      ),
    ).toEqual({ eligible: true, bookingId: 'b1' });
  });

  test('confirmed but starting now or later → not-taken-place, naming the earliest start', () => {
    const result = reviewEligibility(
      [booking('CONFIRMED', '2030-08-01T00:00:00Z'), booking('CONFIRMED', now.toISOString(), 'b2')],
      now,
    );
    expect(result).toMatchObject({ eligible: false, reason: 'not-taken-place' });
    expect(result.eligible === false && result.detail).toContain(now.toISOString());
  });
});
