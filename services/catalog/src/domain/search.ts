import { z } from 'zod';
import { countryCode } from '@tourkit/kit';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
const MAX_PRICE_CENTS = 100_000_000;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A whole number in a query string ("12"), within bounds. */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,12}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** `YYYY-MM-DD` (a whole UTC day) or an ISO-8601 date-time with offset. */
const dateParam = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be an ISO-8601 date (YYYY-MM-DD) or date-time',
});

const booleanParam = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((v) => v === 'true');

export interface SearchFilter {
  destination?: string;
  country?: string;
  /** true: only tours with seats left that have not started; false: only sold-out tours. */
  available?: boolean;
  /** Departures at or after this instant. */
  from?: Date;
  /** Departures before this instant (a date-only `to` covers that whole day). */
  toExclusive?: Date;
  minPriceCents?: number;
  maxPriceCents?: number;
  page: number;
  pageSize: number;
}

export const searchQuerySchema = z
  .strictObject({
    destination: z.string().trim().min(1).max(100).optional(),
    country: countryCode.optional(),
    available: booleanParam.optional(),
    from: dateParam.optional(),
    to: dateParam.optional(),
    minPrice: wholeNumber(0, MAX_PRICE_CENTS).optional(),
    maxPrice: wholeNumber(0, MAX_PRICE_CENTS).optional(),
    page: wholeNumber(1, 100_000).default(1),
    pageSize: wholeNumber(1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  })
  .superRefine((query, ctx) => {
    if (
      query.minPrice !== undefined &&
      query.maxPrice !== undefined &&
      query.minPrice > query.maxPrice
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxPrice'],
        message: 'must be at least minPrice',
        input: query.maxPrice,
      });
    }
    if (
      query.from !== undefined &&
      query.to !== undefined &&
      startOf(query.from) >= endOf(query.to)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'must be after from',
        input: query.to,
      });
    }
  })
  .transform((query): SearchFilter => {
    const filter: SearchFilter = { page: query.page, pageSize: query.pageSize };
    if (query.destination !== undefined) filter.destination = query.destination;
    if (query.country !== undefined) filter.country = query.country;
    if (query.available !== undefined) filter.available = query.available;
    if (query.from !== undefined) filter.from = startOf(query.from);
    if (query.to !== undefined) filter.toExclusive = endOf(query.to);
    if (query.minPrice !== undefined) filter.minPriceCents = query.minPrice;
    if (query.maxPrice !== undefined) filter.maxPriceCents = query.maxPrice;
    return filter;
  });

function startOf(value: string): Date {
  return new Date(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
}

/** Exclusive end: the next midnight for a date, the instant plus 1 ms for a date-time. */
function endOf(value: string): Date {
  if (DATE_ONLY.test(value)) return new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000);
  return new Date(Date.parse(value) + 1);
}

export function pageOffset(filter: Pick<SearchFilter, 'page' | 'pageSize'>): number {
  return (filter.page - 1) * filter.pageSize;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
}

export function toPage<T>(
  items: T[],
  total: number,
  filter: Pick<SearchFilter, 'page' | 'pageSize'>,
): Page<T> {
  return {
    items,
    page: filter.page,
    pageSize: filter.pageSize,
    total,
    totalPages: Math.ceil(total / filter.pageSize),
  };
}

/**
 * A stable string for a filter, so equivalent queries (parameter order, case of the destination,
 * `to=2026-07-01` vs its exclusive end) share one cache entry.
 */
export function canonicalFilter(filter: SearchFilter): string {
  return JSON.stringify([
    filter.destination?.toLowerCase() ?? null,
    filter.country ?? null,
    filter.available ?? null,
    filter.from?.toISOString() ?? null,
    filter.toExclusive?.toISOString() ?? null,
    filter.minPriceCents ?? null,
    filter.maxPriceCents ?? null,
    filter.page,
    filter.pageSize,
  ]);
}
