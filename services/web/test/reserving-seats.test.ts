// Booking's 202 in a real Chromium: catalog's seat reservation is held (a gate between booking and
// catalog that swallows reserve calls while closed), so POST /v1/bookings answers 202 with the
// booking RESERVING_SEATS; the booking page says "reserving your seats" and keeps asking; the gate
// opens, booking's seat reconciler reserves, the payment runs, and the page reaches Confirmed by
// itself. Before that, a booking for more travellers than seats is refused (409
// not-enough-seats) in words, on the tour page.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { closedPort } from '@tourkit/kit/testing';
import { createTour, signUp } from '@tourkit/e2e/support/actors';
import { eventually } from '@tourkit/e2e/support/eventually';
import { expectStatus } from '@tourkit/e2e/support/http';
import { withLogsOnFailure } from '@tourkit/e2e/support/platform';
import { buildBundle, launchChromium } from './support/browser.js';
import { PageAudit, expectText, expectVisible } from './support/journey-helpers.js';
import { startWebPlatform, type WebPlatform } from './support/web-platform.js';

const PASSWORD = 'correct horse battery staple';

/**
 * Booking's CATALOG_URL points here. Everything is forwarded to catalog, except, while `closed`,
 * a seat reservation (POST /internal/tours/:id/seats with a positive delta): never forwarded,
 * never answered, so booking's call times out and the outcome is unknown (its saga's
 * RESERVING_SEATS). Until catalog's address is known, the gate answers its own probes.
 */
class SeatGate {
  closed = false;
  swallowed = 0;
  target: string | undefined;
  private readonly server: Server;
  private readonly held = new Set<IncomingMessage>();

  constructor(readonly port: number) {
    this.server = createServer((req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks);
        const url = req.url ?? '/';
        if (this.closed && req.method === 'POST' && /^\/internal\/tours\/[^/]+\/seats$/.test(url)) {
          const delta = (JSON.parse(body.toString('utf8') || '{}') as { delta?: number }).delta;
          if ((delta ?? 0) > 0) {
            this.swallowed += 1;
            this.held.add(req);
            req.socket.once('close', () => this.held.delete(req));
            return;
          }
        }
        if (!this.target) {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"UP"}');
          return;
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (['host', 'connection', 'content-length'].includes(name) || value === undefined)
            continue;
          headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        const answer = await fetch(`${this.target}${url}`, {
          method: req.method ?? 'GET',
          headers,
          body: ['GET', 'HEAD'].includes(req.method ?? 'GET') ? undefined : body,
        });
        const type = answer.headers.get('content-type');
        res.writeHead(answer.status, type ? { 'content-type': type } : {});
        res.end(Buffer.from(await answer.arrayBuffer()));
      })().catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
      });
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.port, '127.0.0.1', () => resolve()));
  }

  async close(): Promise<void> {
    for (const req of this.held) req.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}

let gate: SeatGate | undefined;
let web: WebPlatform | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];
const audit = new PageAudit();

beforeAll(async () => {
  buildBundle();
  gate = new SeatGate(await closedPort());
  await gate.listen();
  web = await startWebPlatform('webseats', {
    env: {
      booking: {
        CATALOG_URL: gate.url,
        // booking's own call gives up fast (then 202), and its seat reconciler takes the booking
        // over after a second, asking every half second (services/booking/README.md).
        CATALOG_TIMEOUT_MS: '300',
        SEAT_RETRY_AFTER_MS: '1000',
        SAGA_RECONCILE_INTERVAL_MS: '500',
      },
      notification: { REMINDER_CRON: '0 0 1 1 *' },
    },
  });
  gate.target = web.platform.url.catalog;
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await web?.stop();
  await gate?.close();
}, 60_000);

test(
  '409 not-enough-seats in words; 202 RESERVING_SEATS followed by the booking page to Confirmed',
  withLogsOnFailure(
    () => web?.platform,
    async () => {
      const { platform: p, webUrl } = web!;
      const ada = await signUp(p, 'ada');
      const tour = await createTour(p, {
        title: 'Canal boat at dawn',
        destination: 'Amsterdam',
        country: 'NL',
        startsAt: new Date(Date.now() + 30 * 24 * 3_600_000),
        priceCents: 4_000,
        capacity: 3,
        operatorEmail: `operator-${randomUUID().slice(0, 8)}@example.test`,
      });

      const context = await browser!.newContext({
        locale: 'en-GB',
        viewport: { width: 1200, height: 900 },
      });
      contexts.push(context);
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(`${webUrl}/signin?next=${encodeURIComponent(`/tours/${tour.id}`)}`);
      await page.getByLabel('E-mail').fill(ada.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Canal boat at dawn', level: 1 }).waitFor();

      // More travellers than seats: catalog refuses, booking answers 409 not-enough-seats, and
      // the tour page says so in words (nothing booked, try fewer).
      await page.getByLabel('Travellers').fill('5');
      await expectVisible(page.getByTestId('quote-total'));
      const refused = page.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/v1/bookings',
      );
      await page.getByRole('button', { name: 'Book now' }).click();
      expect((await refused).status()).toBe(409);
      const alert = page.getByRole('alert');
      await expectVisible(alert.getByText('Not enough seats left on this tour'));
      await expectVisible(
        alert.getByText('There are not enough seats left for 5 travellers', { exact: false }),
      );
      await audit.check(page, 'seats-not-enough');

      // Catalog's answer to the reservation now never comes: booking answers 202 RESERVING_SEATS
      // and the booking page follows it.
      gate!.closed = true;
      await page.getByLabel('Travellers').fill('2');
      await expectVisible(page.getByTestId('quote-total'));
      const accepted = page.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/v1/bookings',
      );
      await page.getByRole('button', { name: 'Book now' }).click();
      const answer = await accepted;
      expect(answer.status()).toBe(202);
      expect(((await answer.json()) as { status: string }).status).toBe('RESERVING_SEATS');
      await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
      const bookingId = page.url().split('/').pop()!;
      await expectText(page.getByTestId('booking-status'), 'Reserving seats');
      await expectVisible(page.getByText('We are reserving your seats…'));
      await audit.check(page, 'seats-reserving');
      expect(gate!.swallowed).toBeGreaterThan(0);

      // Catalog answers again: booking's seat reconciler reserves, the payment runs, and the page
      // gets there by itself.
      gate!.closed = false;
      await expectText(page.getByTestId('booking-status'), 'Confirmed', 60_000);
      await expectVisible(page.getByText('Your booking is confirmed.'));
      await audit.check(page, 'seats-confirmed');

      const booked = expectStatus(await ada.api.get(`/v1/bookings/${bookingId}`), 200, 'booking');
      expect(booked).toMatchObject({ status: 'CONFIRMED', travellers: 2 });
      // The seats were reserved once, though booking asked several times (same reference).
      await eventually(
        'catalog to show 1 seat left',
        async () => (await p.gateway.get(`/v1/tours/${tour.id}`)).body.availableSeats === 1,
        { timeoutMs: 10_000, intervalMs: 200 },
      );
      expect(pageErrors).toEqual([]);
      expect(audit.failures()).toEqual([]);
    },
  ),
  240_000,
);
