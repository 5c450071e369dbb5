/** A season: an inclusive range of calendar dates (UTC, `YYYY-MM-DD`) with its own price per traveller. */
export interface Season {
  name: string;
  from: string;
  until: string;
  priceCents: number;
}

export const TOUR_STATUSES = ['SCHEDULED', 'CANCELLED'] as const;
export type TourStatus = (typeof TOUR_STATUSES)[number];

/** One tour is one dated departure. */
export interface Tour {
  id: string;
  title: string;
  destination: string;
  country: string;
  description: string;
  startsAt: Date;
  /** IANA zone the departure is stated in to travellers (e-mails). */
  timeZone: string;
  status: TourStatus;
  cancelledAt: Date | null;
  durationHours: number;
  capacity: number;
  bookedSeats: number;
  priceCents: number;
  seasons: Season[];
  operatorEmail: string;
  ratingSum: number;
  ratingCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What an operator provides to create a tour; the rest (id, seats booked, ratings) the catalog owns. */
export interface TourDraft {
  title: string;
  destination: string;
  country: string;
  description: string;
  startsAt: Date;
  timeZone: string;
  durationHours: number;
  capacity: number;
  priceCents: number;
  seasons: Season[];
  operatorEmail: string;
}

export type TourPatch = Partial<TourDraft>;

export interface AppliedPrice {
  priceCents: number;
  /** The season whose price applies, or null when the base price does. */
  season: string | null;
}

/** The UTC calendar date of an instant, as `YYYY-MM-DD` (comparable as a string). */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The price per traveller on `date`: the first season covering it, else the base price. */
export function priceOn(
  date: Date,
  basePriceCents: number,
  seasons: readonly Season[],
): AppliedPrice {
  const day = utcDate(date);
  const season = seasons.find((s) => s.from <= day && day <= s.until);
  return season
    ? { priceCents: season.priceCents, season: season.name }
    : { priceCents: basePriceCents, season: null };
}

/** The price that applies to a tour's departure. */
export function appliedPrice(
  tour: Pick<Tour, 'startsAt' | 'priceCents' | 'seasons'>,
): AppliedPrice {
  return priceOn(tour.startsAt, tour.priceCents, tour.seasons);
}

/** Pairs of seasons whose date ranges overlap (indexes into `seasons`), so a date never has two prices. */
export function overlappingSeasons(seasons: readonly Season[]): Array<[number, number]> {
  const overlaps: Array<[number, number]> = [];
  seasons.forEach((a, i) => {
    seasons.forEach((b, j) => {
      if (j > i && a.from <= b.until && b.from <= a.until) overlaps.push([i, j]);
    });
  });
  return overlaps;
}

export function availableSeats(tour: Pick<Tour, 'capacity' | 'bookedSeats'>): number {
  return Math.max(0, tour.capacity - tour.bookedSeats);
}

export function endsAt(tour: Pick<Tour, 'startsAt' | 'durationHours'>): Date {
  return new Date(tour.startsAt.getTime() + tour.durationHours * 3_600_000);
}

export type SeatChange =
  | { ok: true; bookedSeats: number }
  | { ok: false; reason: 'not-enough-seats' | 'release-exceeds-booked' };

/** Whether `delta` seats can be reserved (positive) or released (negative) without overselling or going below zero. */
export function changeSeats(
  tour: Pick<Tour, 'capacity' | 'bookedSeats'>,
  delta: number,
): SeatChange {
  const bookedSeats = tour.bookedSeats + delta;
  if (bookedSeats > tour.capacity) return { ok: false, reason: 'not-enough-seats' };
  if (bookedSeats < 0) return { ok: false, reason: 'release-exceeds-booked' };
  return { ok: true, bookedSeats };
}

/** Average rating rounded to two decimals, or null when nobody rated the tour yet. */
export function ratingAverage(tour: Pick<Tour, 'ratingSum' | 'ratingCount'>): number | null {
  return tour.ratingCount === 0
    ? null
    : Math.round((tour.ratingSum / tour.ratingCount) * 100) / 100;
}

/** The tour an operator's patch would produce; the caller checks it with `patchConflict`. */
export function applyPatch(tour: Tour, patch: TourPatch): Tour {
  const defined = Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  );
  return { ...tour, ...defined };
}

/** Why a patched tour cannot be stored, or null when it can. */
export function patchConflict(
  patched: Pick<Tour, 'capacity' | 'bookedSeats' | 'seasons' | 'status'>,
): string | null {
  if (patched.status === 'CANCELLED') return 'the tour is cancelled';
  if (patched.capacity < patched.bookedSeats) {
    return `capacity ${patched.capacity} is below the ${patched.bookedSeats} seats already booked`;
  }
  const [overlap] = overlappingSeasons(patched.seasons);
  if (overlap) return `seasons ${overlap[0]} and ${overlap[1]} overlap`;
  return null;
}
