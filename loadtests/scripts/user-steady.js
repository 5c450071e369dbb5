// Steady user traffic: a constant arrival rate of profile reads with an occasional login, the
// predictable load the user service's fixed 3 replicas are sized for.
//
//   BASE_URL=http://127.0.0.1:8080   gateway (default) or the user service itself
//   RATE=10 DURATION=30s MAX_VUS=10   iterations per second, length, VU ceiling
//   USERS=10 LOGIN_RATIO=0.1          accounts made in setup(); share of iterations that log in
import http from 'k6/http';
import { check } from 'k6';
import { loopbackOnlyOptions, resolveBaseUrl, envInt, envDuration } from './lib/target.js';
import { bearer, createTravellers, jsonBody, login, pick, routeParams } from './lib/api.js';

const BASE_URL = resolveBaseUrl(__ENV);
const RATE = envInt(__ENV, 'RATE', 10);
const DURATION = envDuration(__ENV, 'DURATION', '30s');
const MAX_VUS = envInt(__ENV, 'MAX_VUS', 10);
const USERS = envInt(__ENV, 'USERS', 10);
// Logins are anonymous at the gateway, so they count against one per-IP budget (300/min by
// default): 10 % of 10/s stays well under it.
const LOGIN_RATIO = Number(__ENV.LOGIN_RATIO ?? '0.1');
if (!(LOGIN_RATIO >= 0 && LOGIN_RATIO <= 1))
  throw new Error(`LOGIN_RATIO must be between 0 and 1; got ${__ENV.LOGIN_RATIO}`);

export const options = {
  ...loopbackOnlyOptions(__ENV),
  scenarios: {
    steady: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.min(MAX_VUS, Math.max(2, Math.ceil(RATE / 4))),
      maxVUs: MAX_VUS,
    },
  },
  // Login hashes with argon2id (deliberately slow); a profile read is one indexed row.
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_failed{route:GET /v1/users/me}': ['rate<0.01'],
    'http_req_failed{route:POST /v1/auth/login}': ['rate<0.01'],
    'http_req_duration{route:GET /v1/users/me}': ['p(95)<200', 'p(99)<400'],
    'http_req_duration{route:POST /v1/auth/login}': ['p(95)<800', 'p(99)<1500'],
    checks: ['rate>0.99'],
  },
  setupTimeout: '120s',
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

export function setup() {
  return { travellers: createTravellers(BASE_URL, 'steady', USERS) };
}

export default function steady(data) {
  const traveller = pick(data.travellers);
  if (Math.random() < LOGIN_RATIO) {
    login(BASE_URL, traveller.email);
    return;
  }
  const me = http.get(
    `${BASE_URL}/v1/users/me`,
    routeParams('GET /v1/users/me', bearer(traveller.token)),
  );
  check(me, {
    'profile: 200, own e-mail': (r) => r.status === 200 && jsonBody(r)?.email === traveller.email,
  });
}
