import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { fieldErrors } from '@tourkit/kit';
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
} from '../src/domain/tour.js';
import { canonicalFilter, pageOffset, searchQuerySchema, toPage } from '../src/domain/search.js';
import {
  createTourSchema,
  patchTourSchema,
  ratingSummarySchema,
  seatsChangeSchema,
} from '../src/domain/tour-input.js';
import { demoDrafts } from '../src/seed/demo-catalog.js';

const seasons: Season[] = [
  { name: 'low', from: '2026-01-05', until: '2026-03-15', priceCents: 4000 },
  { name: 'high', from: '2026-06-15', until: '2026-08-31', priceCents: 6000 },
];

/** The fields a client would be told about (the kit names each unknown key as its own field). */
function fieldsOf(result: z.ZodSafeParseResult<unknown>): string[] {
  return result.success ? [] : fieldErrors(result.error.issues, 'body').map((e) => e.field);
}

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
});

describe('search query', () => {
  it('parses filters and defaults pagination', () => {
    const filter = searchQuerySchema.parse({
      destination: 'Paris',
      available: 'true',
      from: '2026-07-01',
      to: '2026-07-31',
      minPrice: '1000',
      maxPrice: '9000',
    });
    expect(filter).toEqual({
      destination: 'Paris',
      available: true,
      from: new Date('2026-07-01T00:00:00Z'),
      toExclusive: new Date('2026-08-01T00:00:00Z'),
      minPriceCents: 1000,
      maxPriceCents: 9000,
      page: 1,
      pageSize: 20,
    });
  });

  it.each([
    [{ available: 'yes' }, 'available'],
    [{ minPrice: '-1' }, 'minPrice'],
    [{ minPrice: '12.5' }, 'minPrice'],
    [{ minPrice: '500', maxPrice: '100' }, 'maxPrice'],
    [{ from: '2026-07-10', to: '2026-07-01' }, 'to'],
    [{ from: 'tomorrow' }, 'from'],
    [{ page: '0' }, 'page'],
    [{ pageSize: '101' }, 'pageSize'],
    [{ country: 'France' }, 'country'],
    [{ country: 'XX' }, 'country'],
    [{ destination: ['Paris', 'Lyon'] }, 'destination'],
    [{ sort: 'price' }, 'sort'],
  ])('rejects %j naming %s', (query, field) => {
    expect(fieldsOf(searchQuerySchema.safeParse(query))).toContain(field);
  });

  it('gives equivalent queries one cache key', () => {
    const a = searchQuerySchema.parse({ destination: 'paris', to: '2026-07-31' });
    const b = searchQuerySchema.parse({ to: '2026-07-31', destination: 'PARIS', page: '1' });
    expect(canonicalFilter(a)).toBe(canonicalFilter(b));
    expect(canonicalFilter(a)).not.toBe(canonicalFilter({ ...a, page: 2 }));
  });

  it('paginates', () => {
    expect(pageOffset({ page: 3, pageSize: 20 })).toBe(40);
    expect(toPage(['a'], 41, { page: 3, pageSize: 20 })).toEqual({
      items: ['a'],
      page: 3,
      pageSize: 20,
      total: 41,
      totalPages: 3,
    });
    expect(toPage([], 0, { page: 1, pageSize: 20 }).totalPages).toBe(0);
  });
});

describe('tour input', () => {
  const valid = {
    title: 'Louvre',
    destination: 'Paris',
    country: 'fr',
    startsAt: '2026-07-01T10:00:00+02:00',
    durationHours: 3,
    capacity: 20,
    priceCents: 6500,
    operatorEmail: 'Op@Example.test',
  };
  it('normalizes and defaults', () => {
    expect(createTourSchema.parse(valid)).toMatchObject({
      country: 'FR',
      operatorEmail: 'op@example.test',
      startsAt: new Date('2026-07-01T08:00:00Z'),
      seasons: [],
      description: '',
    });
  });
  it.each([
    [{ priceCents: 10.5 }, 'priceCents'],
    [{ capacity: -1 }, 'capacity'],
    [{ startsAt: '1 July' }, 'startsAt'],
    [{ operatorEmail: 'nope' }, 'operatorEmail'],
    [{ bookedSeats: 3 }, 'bookedSeats'],
    [
      { seasons: [{ name: 'x', from: '2026-07-10', until: '2026-07-01', priceCents: 1 }] },
      'seasons.0.until',
    ],
    [
      {
        seasons: [
          { name: 'a', from: '2026-07-01', until: '2026-07-10', priceCents: 1 },
          { name: 'b', from: '2026-07-05', until: '2026-07-20', priceCents: 1 },
        ],
      },
      'seasons.1.from',
    ],
  ])('rejects %j naming %s', (change, field) => {
    expect(fieldsOf(createTourSchema.safeParse({ ...valid, ...change }))).toContain(field);
  });
  it('rejects an empty patch and accepts a partial one', () => {
    expect(patchTourSchema.safeParse({}).success).toBe(false);
    expect(patchTourSchema.parse({ capacity: 30 })).toEqual({ capacity: 30 });
  });
  it('validates seat deltas and rating summaries', () => {
    expect(fieldsOf(seatsChangeSchema.safeParse({ delta: 0 }))).toEqual(['delta']);
    expect(fieldsOf(seatsChangeSchema.safeParse({ delta: 1.5 }))).toEqual(['delta']);
    expect(fieldsOf(ratingSummarySchema.safeParse({ average: 4, count: 0 }))).toEqual(['average']);
    expect(ratingSummarySchema.parse({ average: 4.5, count: 2 })).toEqual({
      average: 4.5,
      count: 2,
    });
  });
});

describe('demo catalog', () => {
  it('has several Paris departures in the future, one sold out, and seasons', () => {
    const now = new Date('2026-05-01T00:00:00Z');
    const drafts = demoDrafts(now);
    const paris = drafts.filter((d) => d.draft.destination === 'Paris');
    expect(paris.length).toBeGreaterThanOrEqual(3);
    expect(new Set(drafts.map((d) => d.draft.destination)).size).toBeGreaterThanOrEqual(5);
    expect(drafts.every((d) => d.draft.startsAt > now && d.draft.seasons.length > 1)).toBe(true);
    expect(drafts.some((d) => d.booked === d.draft.capacity)).toBe(true);
    expect(drafts.every((d) => overlappingSeasons(d.draft.seasons).length === 0)).toBe(true);
  });
});
