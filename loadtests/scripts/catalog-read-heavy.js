// Read-heavy catalog traffic: travellers search destinations and open tour details, mostly
// answered from the Redis cache. A constant arrival rate, so a slower server shows up as latency
// and dropped iterations rather than as a politely slower test.
//
//   BASE_URL=http://127.0.0.1:8080   gateway (default) or catalog itself (then AUTH_USERS=0)
//   RATE=20 DURATION=30s MAX_VUS=20   iterations per second, length, VU ceiling
//   AUTH_USERS=20                     signed-in travellers made in setup(); 0 = anonymous browsing
import http from 'k6/http';
import { check } from 'k6';
import { loopbackOnlyOptions, resolveBaseUrl, envInt, envDuration } from './lib/target.js';
import { bearer, createTravellers, jsonBody, pick, routeParams } from './lib/api.js';

const BASE_URL = resolveBaseUrl(__ENV);
const RATE = envInt(__ENV, 'RATE', 20);
const DURATION = envDuration(__ENV, 'DURATION', '30s');
const MAX_VUS = envInt(__ENV, 'MAX_VUS', 20);
// The gateway rate-limits per client (per token subject, else per IP: 300/min by default). One k6
// machine is one IP, so browsing is spread over signed-in travellers, as real users would be.
const AUTH_USERS = __ENV.AUTH_USERS === '0' ? 0 : envInt(__ENV, 'AUTH_USERS', 20);

// Paris dominates, as in the course; the rest spreads the cache keys.
const DESTINATIONS = [
  'Paris',
  'Paris',
  'Paris',
  'Lyon',
  'Berlin',
  'Munich',
  'Rome',
  'Barcelona',
  'Lisbon',
  'Amsterdam',
];

export const options = {
  ...loopbackOnlyOptions(__ENV),
  scenarios: {
    browse: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.min(MAX_VUS, Math.max(2, Math.ceil(RATE / 4))),
      maxVUs: MAX_VUS,
    },
  },
  // The SLOs of the read path: cached reads are fast and almost never fail.
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_failed{route:GET /v1/tours}': ['rate<0.01'],
    'http_req_failed{route:GET /v1/tours/:id}': ['rate<0.01'],
    'http_req_duration{route:GET /v1/tours}': ['p(95)<250', 'p(99)<500'],
    'http_req_duration{route:GET /v1/tours/:id}': ['p(95)<200', 'p(99)<400'],
    'http_req_duration{route:GET /v1/tours/:id/availability}': ['p(99)<400'],
    checks: ['rate>0.99'],
  },
  setupTimeout: '120s',
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

export function setup() {
  const travellers = AUTH_USERS > 0 ? createTravellers(BASE_URL, 'browse', AUTH_USERS) : [];
  return { tokens: travellers.map((t) => t.token) };
}

export default function browse(data) {
  const headers = data.tokens.length > 0 ? bearer(pick(data.tokens)) : {};
  const destination = pick(DESTINATIONS);
  const page = Math.random() < 0.8 ? 1 : 2;
  const search = http.get(
    `${BASE_URL}/v1/tours?destination=${encodeURIComponent(destination)}&available=true&page=${page}&pageSize=5`,
    routeParams('GET /v1/tours', headers),
  );
  const items = jsonBody(search)?.items;
  check(search, { 'search: 200 with items': (r) => r.status === 200 && Array.isArray(items) });
  if (!Array.isArray(items) || items.length === 0) return;

  // Most searches lead to one details page; some travellers check availability too.
  if (Math.random() < 0.7) {
    const tour = pick(items);
    const details = http.get(
      `${BASE_URL}/v1/tours/${tour.id}`,
      routeParams('GET /v1/tours/:id', headers),
    );
    check(details, {
      'details: 200 of that tour': (r) => r.status === 200 && jsonBody(r)?.id === tour.id,
    });
    if (Math.random() < 0.3) {
      const availability = http.get(
        `${BASE_URL}/v1/tours/${tour.id}/availability`,
        routeParams('GET /v1/tours/:id/availability', headers),
      );
      check(availability, { 'availability: 200': (r) => r.status === 200 });
    }
  }
}
