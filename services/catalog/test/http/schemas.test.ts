import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { fieldErrors } from '@tourkit/kit';
import {
  createTourSchema,
  patchTourSchema,
  ratingSummarySchema,
  seatsChangeSchema,
} from '../../src/http/schemas.js';

/** The fields a client would be told about (the kit names each unknown key as its own field). */
function fieldsOf(result: z.ZodSafeParseResult<unknown>): string[] {
  return result.success ? [] : fieldErrors(result.error.issues, 'body').map((e) => e.field);
}

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
