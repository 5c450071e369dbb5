/** The services the gateway sends public traffic to. payment and notification have no public API. */
export type Upstream = 'catalog' | 'user' | 'booking' | 'review';

export const UPSTREAMS: readonly Upstream[] = ['catalog', 'user', 'booking', 'review'];

/**
 * Express 5 route patterns per upstream, in matching order: review's routes under /v1/tours/:id come
 * before catalog's /v1/tours catch-all. Named patterns (not prefixes) also give the metrics a bounded
 * `route` label.
 */
export const ROUTES: ReadonlyArray<{ upstream: Upstream; patterns: string[] }> = [
  {
    upstream: 'review',
    patterns: [
      '/v1/tours/:tourId/reviews',
      '/v1/tours/:tourId/reviews/*rest',
      '/v1/tours/:tourId/rating',
    ],
  },
  { upstream: 'catalog', patterns: ['/v1/tours', '/v1/tours/*rest'] },
  { upstream: 'user', patterns: ['/v1/users', '/v1/users/*rest', '/v1/auth/*rest'] },
  {
    upstream: 'booking',
    patterns: [
      '/v1/bookings',
      '/v1/bookings/*rest',
      // The pay-later page's data and its Pay button (public: the link's signed `t` is the authority).
      '/v1/payment-links/*rest',
      // Staff (roles admin or support, checked by booking): bookings that need a person.
      '/v1/admin/bookings',
      '/v1/admin/bookings/*rest',
    ],
  },
];

/** Routes anyone may call without a token; everything else under /v1 needs a valid bearer token. */
export function isPublicRoute(method: string, path: string): boolean {
  const read = method === 'GET' || method === 'HEAD';
  if (read && (path === '/v1/tours' || path.startsWith('/v1/tours/'))) return true;
  if (read && (path === '/v1/openapi' || path.startsWith('/v1/openapi/'))) return true;
  if (read && path === '/v1/openapi.json') return true;
  if (method === 'POST' && (path === '/v1/users' || path === '/v1/auth/login')) return true;
  // The e-mailed pay-later link: its signed token (`t`) is the authority, checked by booking.
  if ((read || method === 'POST') && path.startsWith('/v1/payment-links/')) return true;
  return false;
}

/**
 * Paths the gateway refuses to forward: dot segments and encoded slashes or dots could make an
 * upstream (or a URL library on the way) resolve a /v1 path into /internal.
 */
export function isUnsafePath(rawPath: string): boolean {
  if (/%2f|%5c|%2e|\\/i.test(rawPath)) return true;
  return rawPath.split('/').some((segment) => segment === '.' || segment === '..');
}
