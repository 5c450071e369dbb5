import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { fieldErrors } from '@tourkit/kit';
import { canonicalFilter, pageOffset, searchQuerySchema, toPage } from '../../src/domain/search.js';

/** The fields a client would be told about (the kit names each unknown key as its own field). */
function fieldsOf(result: z.ZodSafeParseResult<unknown>): string[] {
  return result.success ? [] : fieldErrors(result.error.issues, 'body').map((e) => e.field);
}

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
