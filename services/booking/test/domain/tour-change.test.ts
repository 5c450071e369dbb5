import { tourChangeEmail, tourChangePlan, type TourChange } from '../../src/domain/tour-change.js';

const startsAt = new Date('2027-05-01T07:30:00Z');
const later = new Date('2027-05-02T07:30:00Z');
const scheduled = (at: Date): TourChange => ({
  startsAt: at,
  status: 'SCHEDULED',
  timeZone: 'Europe/Paris',
});
const cancelled: TourChange = { startsAt, status: 'CANCELLED', timeZone: 'Europe/Paris' };

describe('tourChangePlan', () => {
  const booking = { status: 'PENDING_PAYMENT' as const, tourStartsAt: startsAt };

  test('an active booking follows a new start time, once', () => {
    expect(tourChangePlan(booking, scheduled(later))).toEqual({
      kind: 'reschedule',
      startsAt: later,
    });
    expect(tourChangePlan({ ...booking, tourStartsAt: later }, scheduled(later))).toEqual({
      kind: 'none',
    });
  });

  test.each([
    'PENDING_PAYMENT',
    'CONFIRMED',
    'RESERVED_PENDING_PAYMENT',
    'RESERVING_SEATS',
    'PAYMENT_UNKNOWN',
  ] as const)(
    'a cancelled tour cancels a %s booking (the saga decides release and refund)',
    (status) => {
      expect(tourChangePlan({ ...booking, status }, cancelled)).toEqual({ kind: 'cancel' });
    },
  );

  test.each(['CANCELLED', 'EXPIRED', 'PAYMENT_FAILED', 'REJECTED'] as const)(
    'a %s booking is left alone',
    (status) => {
      expect(tourChangePlan({ ...booking, status }, scheduled(later))).toEqual({ kind: 'none' });
      expect(tourChangePlan({ ...booking, status }, cancelled)).toEqual({ kind: 'none' });
    },
  );
});

describe('tourChangeEmail', () => {
  const booking = {
    id: 'b-1',
    userId: 'u-1',
    tourId: 't-1',
    tourStartsAt: startsAt,
  };

  test('is keyed on the booking and the new start time, and carries the zone', () => {
    const message = tourChangeEmail(booking, scheduled(later));
    expect(message.dedupeKey).toBe('tour-changed:b-1:2027-05-02T07:30:00.000Z');
    expect(message.payload).toMatchObject({
      type: 'tour-changed',
      dedupeKey: message.dedupeKey,
      userId: 'u-1',
      bookingId: 'b-1',
      tourId: 't-1',
      data: {
        status: 'SCHEDULED',
        startsAt: '2027-05-02T07:30:00.000Z',
        previousStartsAt: '2027-05-01T07:30:00.000Z',
        timeZone: 'Europe/Paris',
      },
    });
    expect(tourChangeEmail(booking, scheduled(startsAt)).dedupeKey).not.toBe(message.dedupeKey);
  });

  test('a cancellation is told once per booking', () => {
    expect(tourChangeEmail(booking, cancelled).dedupeKey).toBe('tour-cancelled:b-1');
  });
});
