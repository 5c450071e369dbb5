import {
  appliedPrice,
  availableSeats,
  endsAt,
  ratingAverage,
  type Season,
  type Tour,
  type TourStatus,
} from './tour.js';

/** A tour as the API shows it (and as the cache stores it). */
export interface TourView {
  id: string;
  title: string;
  destination: string;
  country: string;
  description: string;
  startsAt: string;
  /** IANA zone of the departure (e-mails state the time in it). */
  timeZone: string;
  status: TourStatus;
  cancelledAt: string | null;
  endsAt: string;
  durationHours: number;
  capacity: number;
  bookedSeats: number;
  availableSeats: number;
  currency: 'EUR';
  /** Base price per traveller. */
  priceCents: number;
  seasons: Season[];
  /** Price per traveller on the departure date: the season's when one covers it, else the base price. */
  effectivePriceCents: number;
  /** Name of the season whose price applies, or null. */
  appliedSeason: string | null;
  operatorEmail: string;
  ratingAverage: number | null;
  ratingCount: number;
  updatedAt: string;
}

export interface AvailabilityView {
  tourId: string;
  startsAt: string;
  capacity: number;
  bookedSeats: number;
  availableSeats: number;
  available: boolean;
}

export function toTourView(tour: Tour): TourView {
  const price = appliedPrice(tour);
  return {
    id: tour.id,
    title: tour.title,
    destination: tour.destination,
    country: tour.country,
    description: tour.description,
    startsAt: tour.startsAt.toISOString(),
    timeZone: tour.timeZone,
    status: tour.status,
    cancelledAt: tour.cancelledAt?.toISOString() ?? null,
    endsAt: endsAt(tour).toISOString(),
    durationHours: tour.durationHours,
    capacity: tour.capacity,
    bookedSeats: tour.bookedSeats,
    availableSeats: availableSeats(tour),
    currency: 'EUR',
    priceCents: tour.priceCents,
    seasons: tour.seasons,
    effectivePriceCents: price.priceCents,
    appliedSeason: price.season,
    operatorEmail: tour.operatorEmail,
    ratingAverage: ratingAverage(tour),
    ratingCount: tour.ratingCount,
    updatedAt: tour.updatedAt.toISOString(),
  };
}

/** Availability from a tour view: seats left on a departure that has not started yet. */
export function toAvailabilityView(tour: TourView, now: Date): AvailabilityView {
  return {
    tourId: tour.id,
    startsAt: tour.startsAt,
    capacity: tour.capacity,
    bookedSeats: tour.bookedSeats,
    availableSeats: tour.availableSeats,
    available:
      tour.status === 'SCHEDULED' &&
      tour.availableSeats > 0 &&
      Date.parse(tour.startsAt) > now.getTime(),
  };
}
