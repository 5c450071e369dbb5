import { randomUUID } from 'node:crypto';
import { expectStatus, type JsonBody, type JsonClient } from './http.js';
import type { Platform } from './platform.js';

export interface Traveller {
  id: string;
  email: string;
  /** The bearer token (for calls that bypass `api`, e.g. a service directly). */
  accessToken: string;
  /** The gateway with this traveller's bearer token. */
  api: JsonClient;
}

const PASSWORD = 'correct horse battery staple';

/** Signs up and logs in through the gateway, as a person would. */
export async function signUp(platform: Platform, label: string): Promise<Traveller> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  const created = expectStatus(
    await platform.gateway.post('/v1/users', {
      email,
      password: PASSWORD,
      name: `Traveller ${label}`,
      country: 'FR',
    }),
    201,
    'sign up',
  );
  const login = expectStatus(
    await platform.gateway.post('/v1/auth/login', { email, password: PASSWORD }),
    200,
    'login',
  );
  return {
    id: created.id,
    email,
    accessToken: login.accessToken,
    api: platform.gateway.with({ authorization: `Bearer ${login.accessToken}` }),
  };
}

export interface TourDraft {
  title: string;
  destination: string;
  country: string;
  startsAt: Date;
  priceCents: number;
  capacity?: number;
  operatorEmail: string;
}

/** Creates a tour as the operator's back office does: catalog's API with the internal token. */
export async function createTour(platform: Platform, draft: TourDraft): Promise<JsonBody> {
  return expectStatus(
    await platform.internal('catalog').post('/v1/tours', {
      title: draft.title,
      destination: draft.destination,
      country: draft.country,
      startsAt: draft.startsAt.toISOString(),
      durationHours: 2,
      capacity: draft.capacity ?? 40,
      priceCents: draft.priceCents,
      operatorEmail: draft.operatorEmail,
    }),
    201,
    `create tour ${draft.title}`,
  );
}

/** POST /v1/bookings through the gateway with an Idempotency-Key; returns the raw response. */
export function requestBooking(
  traveller: Traveller,
  tourId: string,
  travellers: number,
  idempotencyKey: string,
) {
  return traveller.api.post(
    '/v1/bookings',
    { tourId, travellers },
    { 'idempotency-key': idempotencyKey },
  );
}

export async function bookingOf(traveller: Traveller, bookingId: string): Promise<JsonBody> {
  return expectStatus(await traveller.api.get(`/v1/bookings/${bookingId}`), 200, 'get booking');
}
