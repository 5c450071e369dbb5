// The traveller's journey through the web app at a set rate: the app's page, a search, a tour with
// its reviews, a live quote, and for some a booking (Idempotency-Key) that is looked at and then
// cancelled, so a long run never sells out the demo catalog. It goes through the web server, which
// forwards /v1 to the gateway: web, gateway, catalog, review, user and booking all get load, and
// payment too (each booking is charged, then refunded on cancel). This is the script of the
// in-cluster load generator (a k6 Job, off by default), for watching the autoscalers move.
//
//   BASE_URL=http://127.0.0.1:8087     the web app (make dev); in the cluster http://web.<ns>.svc:8080
//                                      with ALLOW_NON_LOOPBACK=1
//   RATE=5 DURATION=30s MAX_VUS=30     journeys started per second, length, VU ceiling
//   USERS=20 BOOK_RATIO=0.2            travellers made in setup(); share of journeys that book
import http from 'k6/http';
import { check, fail } from 'k6';
import { loopbackOnlyOptions, resolveBaseUrl, envInt, envDuration } from './lib/target.js';
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
const RATE = envInt(__ENV, 'RATE', 5);
const DURATION = envDuration(__ENV, 'DURATION', '30s');
const MAX_VUS = envInt(__ENV, 'MAX_VUS', 30);
// Signed-in travellers: the gateway rate-limits per token subject (300/min), and behind the web
// server every anonymous request would share the web pod's address.
const USERS = envInt(__ENV, 'USERS', 20);
const BOOK_RATIO = Number(__ENV.BOOK_RATIO ?? '0.2');
if (!(BOOK_RATIO >= 0 && BOOK_RATIO <= 1))
  throw new Error(`BOOK_RATIO must be between 0 and 1; got ${__ENV.BOOK_RATIO}`);

export const options = {
  ...loopbackOnlyOptions(__ENV),
  scenarios: {
    journey: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.min(MAX_VUS, Math.max(2, RATE * 2)),
      maxVUs: MAX_VUS,
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{route:GET /}': ['p(95)<200'],
    'http_req_duration{route:GET /v1/tours}': ['p(95)<300'],
    'http_req_duration{route:GET /v1/tours/:id}': ['p(95)<300'],
    'http_req_duration{route:POST /v1/bookings/quote}': ['p(95)<500'],
    'http_req_duration{route:POST /v1/bookings}': ['p(95)<1000'],
    checks: ['rate>0.99'],
  },
  setupTimeout: '180s',
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

export function setup() {
  const page = http.get(`${BASE_URL}/`, routeParams('GET /', { accept: 'text/html' }));
  if (page.status !== 200 || !String(page.body).includes('<div id="root">'))
    fail(`setup: ${BASE_URL}/ is not the web app (status ${page.status})`);
  const from = new Date(Date.now() + 2 * 86_400_000).toISOString();
  const search = http.get(
    `${BASE_URL}/v1/tours?available=true&from=${encodeURIComponent(from)}&pageSize=50`,
    routeParams('GET /v1/tours'),
  );
  const tours = (jsonBody(search)?.items ?? []).filter((t) => (t.availableSeats ?? 0) >= 4);
  if (tours.length === 0)
    fail(`setup: no bookable tour at ${BASE_URL}/v1/tours (status ${search.status})`);
  const travellers = createTravellers(BASE_URL, 'web', USERS);
  const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  return {
    tours: tours.map((t) => ({ id: t.id, destination: t.destination })),
    tokens: travellers.map((t) => t.token),
    runId,
  };
}

export default function journey(data) {
  const token = pick(data.tokens);
  const auth = bearer(token);
  const tour = pick(data.tours);

  const page = http.get(
    `${BASE_URL}/tours/${tour.id}`,
    routeParams('GET /', { accept: 'text/html' }),
  );
  check(page, { 'page: the app': (r) => r.status === 200 && String(r.body).includes('id="root"') });

  const search = http.get(
    `${BASE_URL}/v1/tours?destination=${encodeURIComponent(tour.destination)}&available=true`,
    routeParams('GET /v1/tours', auth),
  );
  check(search, { 'search: 200': (r) => r.status === 200 && Array.isArray(jsonBody(r)?.items) });

  const details = http.get(
    `${BASE_URL}/v1/tours/${tour.id}`,
    routeParams('GET /v1/tours/:id', auth),
  );
  check(details, { 'tour: 200': (r) => r.status === 200 });
  const reviews = http.get(
    `${BASE_URL}/v1/tours/${tour.id}/reviews?limit=10`,
    routeParams('GET /v1/tours/:id/reviews', auth),
  );
  check(reviews, { 'reviews: 200': (r) => r.status === 200 });

  const headers = { ...JSON_HEADERS, ...auth };
  const body = JSON.stringify({ tourId: tour.id, travellers: Math.random() < 0.7 ? 2 : 1 });
  const booked = quoteThenBook(
    BASE_URL,
    headers,
    body,
    BOOK_RATIO,
    `web-${data.runId}-${__VU}-${__ITER}`,
  );
  if (!booked) return;
  const { booking } = booked;
  const mine = http.get(
    `${BASE_URL}/v1/bookings/${booking.id}`,
    routeParams('GET /v1/bookings/:id', auth),
  );
  check(mine, { 'booking: 200': (r) => r.status === 200 });
  const cancelled = http.post(
    `${BASE_URL}/v1/bookings/${booking.id}/cancel`,
    null,
    routeParams('POST /v1/bookings/:id/cancel', auth),
  );
  check(cancelled, { 'cancel: 200': (r) => r.status === 200 });
}
