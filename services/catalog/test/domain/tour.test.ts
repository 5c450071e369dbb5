import { describe, expect, it } from '@jest/globals';
import {
  applyPatch,
  availableSeats,
  changeSeats,
  overlappingSeasons,
  patchConflict,
  priceOn,
  ratingAverage,
  type Season,
  type Tour,
} from '../../src/domain/tour.js';

const seasons: Season[] = [
  { name: 'low', from: '2026-01-05', until: '2026-03-15', priceCents: 4000 },
  { name: 'high', from: '2026-06-15', until: '2026-08-31', priceCents: 6000 },
];

describe('season price for a date', () => {
  it.each([
    ['2026-07-01T10:00:00Z', 6000, 'high'],
    ['2026-06-15T00:00:00Z', 6000, 'high'],
    ['2026-08-31T23:59:59Z', 6000, 'high'],
    ['2026-09-01T00:00:00Z', 5000, null],
    ['2026-02-01T12:00:00Z', 4000, 'low'],
    ['2026-04-10T12:00:00Z', 5000, null],
  ])('on %s the price is %i (%s)', (date, priceCents, season) => {
    expect(priceOn(new Date(date), 5000, seasons)).toEqual({ priceCents, season });
  });

  it('uses the UTC calendar date, not the local one', () => {
    // 23:30 in Paris on 14 June is 21:30 UTC, still 14 June: before the high season.
    expect(priceOn(new Date('2026-06-14T23:30:00+02:00'), 5000, seasons).season).toBeNull();
  });

  it('finds overlapping seasons, including touching inclusive ends', () => {
    expect(overlappingSeasons(seasons)).toEqual([]);
    expect(
      overlappingSeasons([
        ...seasons,
        { name: 'peak', from: '2026-08-31', until: '2026-09-10', priceCents: 7000 },
      ]),
    ).toEqual([[1, 2]]);
  });
});

describe('seats', () => {
  const tour = { capacity: 10, bookedSeats: 8 };
  it('reserves up to capacity and releases down to zero', () => {
    expect(changeSeats(tour, 2)).toEqual({ ok: true, bookedSeats: 10 });
    expect(changeSeats(tour, -8)).toEqual({ ok: true, bookedSeats: 0 });
  });
  it('never oversells nor releases seats that were not booked', () => {
    expect(changeSeats(tour, 3)).toEqual({ ok: false, reason: 'not-enough-seats' });
    expect(changeSeats(tour, -9)).toEqual({ ok: false, reason: 'release-exceeds-booked' });
  });
  it('availability is capacity minus booked seats', () => {
    expect(availableSeats(tour)).toBe(2);
    expect(availableSeats({ capacity: 5, bookedSeats: 5 })).toBe(0);
  });
});

describe('ratings', () => {
  it('is null before the first rating, else the mean rounded to two decimals', () => {
    expect(ratingAverage({ ratingSum: 0, ratingCount: 0 })).toBeNull();
    expect(ratingAverage({ ratingSum: 14, ratingCount: 3 })).toBe(4.67);
  });
});

describe('operator patches', () => {
  const tour: Tour = {
    id: 't',
    title: 'T',
    destination: 'Paris',
    country: 'FR',
    description: '',
    startsAt: new Date('2026-07-01T10:00:00Z'),
    timeZone: 'Europe/Paris',
    status: 'SCHEDULED',
    cancelledAt: null,
    durationHours: 2,
    capacity: 10,
    bookedSeats: 6,
    priceCents: 5000,
    seasons,
    operatorEmail: 'op@example.test',
    ratingSum: 0,
    ratingCount: 0,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  it('keeps unchanged fields', () => {
    expect(applyPatch(tour, { title: 'New', capacity: undefined })).toMatchObject({
      title: 'New',
      capacity: 10,
    });
  });
  it('refuses a capacity below the seats already booked', () => {
    expect(patchConflict(applyPatch(tour, { capacity: 5 }))).toMatch(/below the 6 seats/);
    expect(patchConflict(applyPatch(tour, { capacity: 6 }))).toBeNull();
  });
  it('refuses any change to a cancelled tour', () => {
    const cancelled: Tour = { ...tour, status: 'CANCELLED', cancelledAt: new Date() };
    expect(patchConflict(applyPatch(cancelled, { title: 'Back?' }))).toMatch(/cancelled/);
  });
});
