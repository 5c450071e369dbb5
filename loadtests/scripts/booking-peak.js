// Peak-time booking traffic: the arrival rate climbs to a peak, holds, and falls back, as on a
// weekday morning or a weekend. Each traveller asks for a quote; some then book (with an
// Idempotency-Key, sometimes retried as a flaky mobile network would), and release the seats
// again by cancelling, so repeated runs do not sell out the small demo catalog.
//
//   BASE_URL=http://127.0.0.1:8080   the gateway (booking needs user tokens and catalog)
//   PEAK_RATE=10 DURATION=30s MAX_VUS=30   peak iterations per second, total length, VU ceiling
//   USERS=10 BOOK_RATIO=0.3           travellers made in setup(); share of quotes that book
import http from 'k6/http';
import { check, fail } from 'k6';
import {
  loopbackOnlyOptions,
  resolveBaseUrl,
  envInt,
  envDuration,
  durationSeconds,
} from './lib/target.js';
import {
  JSON_HEADERS,
  bearer,
  createTravellers,
  jsonBody,
  pick,
  quoteThenBook,
  routeParams,
} from './lib/api.js';

const BASE_URL = resolveBaseUrl(__ENV);
const PEAK_RATE = envInt(__ENV, 'PEAK_RATE', 10);
const DURATION = envDuration(__ENV, 'DURATION', '30s');
const MAX_VUS = envInt(__ENV, 'MAX_VUS', 30);
const USERS = envInt(__ENV, 'USERS', 10);
const BOOK_RATIO = Number(__ENV.BOOK_RATIO ?? '0.3');
if (!(BOOK_RATIO >= 0 && BOOK_RATIO <= 1))
  throw new Error(`BOOK_RATIO must be between 0 and 1; got ${__ENV.BOOK_RATIO}`);

// Ramp 40 % of the time, hold the peak 40 %, come down 20 %.
const total = durationSeconds(DURATION);
const ramp = Math.max(1, Math.round(total * 0.4));
const hold = Math.max(1, Math.round(total * 0.4));
const down = Math.max(1, total - ramp - hold);

export const options = {
  ...loopbackOnlyOptions(__ENV),
  scenarios: {
    peak: {
      executor: 'ramping-arrival-rate',
      startRate: 1,
      timeUnit: '1s',
      preAllocatedVUs: Math.min(MAX_VUS, Math.max(2, PEAK_RATE)),
      maxVUs: MAX_VUS,
      stages: [
        { target: PEAK_RATE, duration: `${ramp}s` },
        { target: PEAK_RATE, duration: `${hold}s` },
        { target: 1, duration: `${down}s` },
      ],
    },
  },
  // Booking's SLOs: a quote or a booking may take longer than a read (catalog call, one
  // transaction), but must not fail.
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_failed{route:POST /v1/bookings/quote}': ['rate<0.01'],
    'http_req_failed{route:POST /v1/bookings}': ['rate<0.01'],
    'http_req_duration{route:POST /v1/bookings/quote}': ['p(95)<400', 'p(99)<800'],
    'http_req_duration{route:POST /v1/bookings}': ['p(95)<800', 'p(99)<1500'],
    'http_req_duration{route:POST /v1/bookings/:id/cancel}': ['p(99)<1500'],
    checks: ['rate>0.99'],
  },
  setupTimeout: '120s',
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

export function setup() {
  const from = new Date(Date.now() + 2 * 86_400_000).toISOString();
  const search = http.get(
    `${BASE_URL}/v1/tours?available=true&from=${encodeURIComponent(from)}&pageSize=50`,
    routeParams('GET /v1/tours'),
  );
  const tours = (jsonBody(search)?.items ?? []).filter((t) => (t.availableSeats ?? 0) >= 4);
  if (tours.length === 0) {
    fail(
      `setup: no bookable tour (≥ 4 free seats, starting after ${from}) at ${BASE_URL}/v1/tours (status ${search.status})`,
    );
  }
  const travellers = createTravellers(BASE_URL, 'peak', USERS);
  const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  return { tourIds: tours.map((t) => t.id), tokens: travellers.map((t) => t.token), runId };
}

export default function travel(data) {
  const token = pick(data.tokens);
  const headers = { ...JSON_HEADERS, ...bearer(token) };
  const body = JSON.stringify({
    tourId: pick(data.tourIds),
    travellers: Math.random() < 0.8 ? 1 : 2,
  });

  const booked = quoteThenBook(
    BASE_URL,
    headers,
    body,
    BOOK_RATIO,
    `load-${data.runId}-${__VU}-${__ITER}`,
  );
  if (!booked) return;
  const { booking, keyed } = booked;

  // One retry in ten repeats the request with the same key: it must replay, never book twice.
  if (Math.random() < 0.1) {
    const retried = http.post(
      `${BASE_URL}/v1/bookings`,
      body,
      routeParams('POST /v1/bookings', keyed),
    );
    check(retried, {
      'retry: replayed, same booking': (r) =>
        r.status === 201 &&
        r.headers['Idempotent-Replayed'] === 'true' &&
        jsonBody(r)?.id === booking.id,
    });
  }

  const cancelled = http.post(
    `${BASE_URL}/v1/bookings/${booking.id}/cancel`,
    null,
    routeParams('POST /v1/bookings/:id/cancel', bearer(token)),
  );
  check(cancelled, { 'cancel: 200': (r) => r.status === 200 });
}
