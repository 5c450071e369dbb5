import { randomUUID } from 'node:crypto';
import type { ApiClient, Schema } from '@tourkit/api-client';
import { apiClient } from './api.js';
import { expectStatus, jsonClient, type JsonBody, type JsonClient } from './http.js';
import type { Platform } from './platform.js';

export interface Traveller {
  id: string;
  email: string;
  /** The bearer token (for calls that bypass `api`, e.g. a service directly). */
  accessToken: string;
  /** The gateway with this traveller's bearer token. */
  api: JsonClient;
  /** The same, through the generated typed client (@tourkit/api-client). */
  client: ApiClient;
}

const PASSWORD = 'correct horse battery staple';

/** Signs up and logs in through the gateway, as a person would (with the typed client). */
export function signUp(platform: Platform, label: string): Promise<Traveller> {
  return signUpAt(platform.url.gateway!, label);
}

/**
 * The same through the gateway at `gatewayUrl`, wherever it runs (the real node's tests too): every
 * answer is checked against the public OpenAPI document, by both clients the traveller gets.
 */
export async function signUpAt(gatewayUrl: string, label: string): Promise<Traveller> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  const anonymous = apiClient(gatewayUrl);
  const created = await anonymous.POST('/v1/users', {
    body: { email, password: PASSWORD, name: `Traveller ${label}`, country: 'FR' },
  });
  if (created.response.status !== 201 || !created.data) {
    throw new Error(`sign up: HTTP ${created.response.status}: ${JSON.stringify(created.error)}`);
  }
  const login = await anonymous.POST('/v1/auth/login', { body: { email, password: PASSWORD } });
  if (!login.data) {
    throw new Error(`login: HTTP ${login.response.status}: ${JSON.stringify(login.error)}`);
  }
  const token = login.data.accessToken;
  return {
    id: created.data.id,
    email,
    accessToken: token,
    api: jsonClient(gatewayUrl, { authorization: `Bearer ${token}` }, 'gateway'),
    client: apiClient(gatewayUrl, token),
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
export function createTour(platform: Platform, draft: TourDraft): Promise<JsonBody> {
  return createTourThrough(platform.internal('catalog'), draft);
}

/**
 * The same through any client of catalog's API that sends the internal token and checks catalog's
 * document (the real node's tests make the call inside a catalog pod).
 */
export async function createTourThrough(
  catalog: Pick<JsonClient, 'post'>,
  draft: TourDraft,
): Promise<JsonBody> {
  return expectStatus(
    await catalog.post('/v1/tours', {
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

/**
 * POST /v1/bookings through the gateway with an Idempotency-Key, with the traveller's typed client:
 * the answer as openapi-fetch gives it (data on 201/202, the problem in error).
 */
export function placeBooking(
  traveller: Traveller,
  tourId: string,
  travellers: number,
  idempotencyKey: string,
) {
  return traveller.client.POST('/v1/bookings', {
    params: { header: { 'idempotency-key': idempotencyKey } },
    body: { tourId, travellers },
  });
}

export async function bookingOf(
  traveller: Traveller,
  bookingId: string,
): Promise<Schema<'Booking'>> {
  const { data, error, response } = await traveller.client.GET('/v1/bookings/{id}', {
    params: { path: { id: bookingId } },
  });
  if (!data) throw new Error(`get booking: HTTP ${response.status}: ${JSON.stringify(error)}`);
  return data;
}
