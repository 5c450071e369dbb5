// Requests shared by the scripts. Every request carries a `route` tag (the route pattern, not the
// URL), so thresholds and summaries are per route and ids do not explode the metric series.
import http from 'k6/http';
import { check, fail } from 'k6';

export const JSON_HEADERS = { 'content-type': 'application/json' };

export function bearer(token) {
  return { authorization: `Bearer ${token}` };
}

export function routeParams(route, headers = {}) {
  return { headers, tags: { route } };
}

/** The parsed JSON body, or undefined when the body is not JSON (an error page, a timeout). */
export function jsonBody(res) {
  try {
    return res.json();
  } catch {
    return undefined;
  }
}

const PASSWORD = 'load test passphrase';

/**
 * Registers `count` travellers and logs each in, for scripts that need tokens. Every account is
 * new (run id + index), so runs never collide and the gateway's per-user rate limit starts fresh.
 * Tokens live 15 minutes: longer than any bounded run.
 */
export function createTravellers(baseUrl, label, count) {
  const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const travellers = [];
  for (let i = 0; i < count; i++) {
    const email = `loadtest+${label}-${runId}-${i}@example.com`;
    const signup = http.post(
      `${baseUrl}/v1/users`,
      JSON.stringify({
        email,
        password: PASSWORD,
        name: `Load ${label} ${i}`,
        country: i % 3 === 0 ? 'DE' : 'FR',
      }),
      routeParams('POST /v1/users', JSON_HEADERS),
    );
    if (signup.status !== 201)
      fail(`setup: sign-up of ${email} answered ${signup.status}: ${signup.body}`);
    const { token, res } = login(baseUrl, email);
    if (typeof token !== 'string')
      fail(`setup: login of ${email} answered ${res.status}: ${res.body}`);
    travellers.push({ email, token });
  }
  return travellers;
}

export function login(baseUrl, email) {
  const res = http.post(
    `${baseUrl}/v1/auth/login`,
    JSON.stringify({ email, password: PASSWORD }),
    routeParams('POST /v1/auth/login', JSON_HEADERS),
  );
  const token = jsonBody(res)?.accessToken;
  check(res, { 'login: 200 with a token': (r) => r.status === 200 && typeof token === 'string' });
  return { token, res };
}

export function pick(items) {
  return items[Math.floor(Math.random() * items.length)];
}

/**
 * A quote, then (for `bookRatio` of the journeys whose quote succeeded) a booking under
 * `idempotencyKey`; both checked. Returns the created booking and the keyed headers (a caller may
 * replay the request), or undefined when the journey stops at the quote or the booking failed.
 */
export function quoteThenBook(baseUrl, headers, body, bookRatio, idempotencyKey) {
  const quote = http.post(
    `${baseUrl}/v1/bookings/quote`,
    body,
    routeParams('POST /v1/bookings/quote', headers),
  );
  check(quote, {
    'quote: 200 with a total': (r) => r.status === 200 && Number.isInteger(jsonBody(r)?.totalCents),
  });
  if (quote.status !== 200 || Math.random() >= bookRatio) return undefined;
  const keyed = { ...headers, 'idempotency-key': idempotencyKey };
  const created = http.post(
    `${baseUrl}/v1/bookings`,
    body,
    routeParams('POST /v1/bookings', keyed),
  );
  const booking = jsonBody(created);
  check(created, {
    'book: 201 with an id': (r) => r.status === 201 && typeof booking?.id === 'string',
  });
  return created.status === 201 ? { booking, keyed } : undefined;
}
