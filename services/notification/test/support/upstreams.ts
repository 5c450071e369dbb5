import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  id: string;
  email: string;
  name: string;
  country: string;
}
export interface FakeTour {
  id: string;
  title: string;
  destination: string;
  startsAt: string;
  operatorEmail: string;
}
export interface FakeBooking {
  id: string;
  userId: string;
  tourId: string;
  tourStartsAt: string;
  status: string;
}

/**
 * The three endpoints the notification service reads, served over real HTTP with the same
 * shapes as user (/internal/users/:id), catalog (/v1/tours/:id) and booking
 * (/internal/bookings/upcoming). Those services are tested for real in their own workspaces.
 */
export interface Upstreams {
  url: string;
  users: Map<string, FakeUser>;
  tours: Map<string, FakeTour>;
  upcoming: FakeBooking[];
  /** Every request path seen, e.g. to check the `within` query. */
  requests: string[];
  close(): Promise<void>;
}

export async function startUpstreams(internalToken: string): Promise<Upstreams> {
  const users = new Map<string, FakeUser>();
  const tours = new Map<string, FakeTour>();
  const upcoming: FakeBooking[] = [];
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${url.pathname}${url.search}`);
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (
      url.pathname.startsWith('/internal/') &&
      req.headers['x-internal-token'] !== internalToken
    ) {
      return json(401, { type: 'https://tourkit.dev/problems/unauthorized', status: 401 });
    }
    const user = /^\/internal\/users\/([^/]+)$/.exec(url.pathname);
    if (user) {
      const found = users.get(user[1]!);
      return found ? json(200, found) : json(404, { status: 404, title: 'Not found' });
    }
    const tour = /^\/v1\/tours\/([^/]+)$/.exec(url.pathname);
    if (tour) {
      const found = tours.get(tour[1]!);
      return found ? json(200, { ...found, currency: 'EUR' }) : json(404, { status: 404 });
    }
    if (url.pathname === '/internal/bookings/upcoming') {
      return json(200, {
        from: new Date().toISOString(),
        until: new Date().toISOString(),
        items: upcoming,
      });
    }
    return json(404, { status: 404 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    users,
    tours,
    upcoming,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
