// The course's payment-down page (exercise 2c) in a real Chromium, with the payment service
// stopped: browsing goes on and the tour page warns; a booking comes back RESERVED_PENDING_PAYMENT
// and the page offers the three alternatives, each of which works — the booking is saved and its
// payment link e-mailed, support receives an alert e-mail, retry says in words that payment is
// still down and, once payment is back, pays. A second reservation is paid from the e-mailed
// link in a fresh browser, nobody signed in: the signed link opens the reservation while payment
// is still down, pays once it is back, and says it was used when opened again.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { createTour, signUp } from '@tourkit/e2e/support/actors';
import { eventually } from '@tourkit/e2e/support/eventually';
import { expectStatus } from '@tourkit/e2e/support/http';
import { mailsOf } from '@tourkit/e2e/support/mail';
import { SUPPORT_EMAIL, withLogsOnFailure, type Platform } from '@tourkit/e2e/support/platform';
import { buildBundle, launchChromium } from './support/browser.js';
import { PageAudit, expectText, expectVisible } from './support/journey-helpers.js';
import { startWebPlatform, type WebPlatform } from './support/web-platform.js';

const PASSWORD = 'correct horse battery staple';
/**
 * Booking's circuit stays open this long once open: long enough for the page's steps while it is
 * open, and the test then waits it out.
 */
const BREAKER_RESET_MS = 25_000;

let web: WebPlatform | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];
const audit = new PageAudit();

beforeAll(async () => {
  buildBundle();
  web = await startWebPlatform('webpaydown', {
    env: {
      booking: {
        PAYMENT_RETRY_BASE_MS: '200',
        // A charge that gets no answer is an unknown outcome since the booking saga: the booking
        // goes PAYMENT_UNKNOWN after that one call instead of retrying (services/booking/README.md,
        // "Payment"), so the primer booking makes a single failed call, which must open the circuit.
        PAYMENT_BREAKER_VOLUME: '1',
        PAYMENT_BREAKER_RESET_MS: String(BREAKER_RESET_MS),
      },
      notification: { REMINDER_CRON: '0 0 1 1 *' },
    },
  });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await web?.stop();
}, 60_000);

/** Booking's payment circuit from its metrics: 0 closed, 1 half-open, 2 open. */
async function circuitState(p: Platform): Promise<number | undefined> {
  const text = (await p.internal('booking').get('/metrics')).body as string;
  const line = text.split('\n').find((l) => /^circuit_state\{[^}]*circuit="payment"/.test(l));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

test(
  'payment stopped: warned while browsing, reserved on booking, save + support + retry each work, then paid by retry and by the e-mailed link',
  withLogsOnFailure(
    () => web?.platform,
    async () => {
      const { platform: p, webUrl } = web!;
      const ada = await signUp(p, 'ada');
      const tour = await createTour(p, {
        title: 'Louvre after hours',
        destination: 'Paris',
        country: 'FR',
        startsAt: new Date(Date.now() + 40 * 24 * 3_600_000),
        priceCents: 5_000,
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
      await page.getByRole('heading', { name: 'Louvre after hours', level: 1 }).waitFor();

      // The payment service stops. Browsing still works, and the tour page says payment is down
      // (booking's /health reports its payment dependency DOWN).
      await p.kill('payment');
      await page.reload();
      await page.getByRole('heading', { name: 'Louvre after hours', level: 1 }).waitFor();
      await expectVisible(
        page.getByText('Payment is unavailable at the moment.', { exact: false }),
      );
      await expectText(page.getByTestId('quote-total'), '€120.00');

      // A first booking's failed charge opens booking's circuit breaker.
      const primer = expectStatus(
        await ada.api.post(
          '/v1/bookings',
          { tourId: tour.id, travellers: 1 },
          { 'idempotency-key': randomUUID() },
        ),
        201,
        'primer booking',
      );
      expect(primer.status).toBe('PENDING_PAYMENT');
      await eventually(
        'booking circuit to payment open',
        async () => (await circuitState(p)) === 2,
        {
          timeoutMs: 20_000,
          intervalMs: 100,
        },
      );

      // Booking now: a pay-later reservation, and the payment-down page with its three options.
      await page.getByRole('button', { name: 'Book now' }).click();
      await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
      const reservedId = page.url().split('/').pop()!;
      await expectText(page.getByTestId('booking-status'), 'Reserved, awaiting payment');
      const options = page.getByRole('region', { name: 'Payment is temporarily unavailable' });
      await expectVisible(options.getByRole('button', { name: 'Save my booking' }));
      await expectVisible(options.getByRole('button', { name: 'Contact support' }));
      await expectVisible(options.getByRole('button', { name: 'Try again' }));
      await audit.check(page, '10-payment-down');
      // Another reservation while the circuit is open, paid later from its e-mail.
      const second = expectStatus(
        await ada.api.post(
          '/v1/bookings',
          { tourId: tour.id, travellers: 3 },
          { 'idempotency-key': randomUUID() },
        ),
        201,
        'second reservation',
      );
      expect(second.status).toBe('RESERVED_PENDING_PAYMENT');

      // Retry while payment is still down: refused, in words; the booking stays reserved.
      await options.getByRole('button', { name: 'Try again' }).click();
      await expectVisible(options.getByRole('alert').getByText('Payment is still unavailable'));
      await expectText(page.getByTestId('booking-status'), 'Reserved, awaiting payment');

      // Save: the booking is kept, and its payment link is in the traveller's mailbox.
      await options.getByRole('button', { name: 'Save my booking' }).click();
      await expectVisible(
        options.getByText(`We have e-mailed a payment link to ${ada.email}.`, { exact: false }),
      );
      const linkMail = await eventually('the payment-link e-mail', () => {
        const mails = mailsOf(p.smtp.messages, `payment-link:${reservedId}`);
        return mails.length > 0 ? mails : undefined;
      });
      expect(linkMail).toHaveLength(1);
      expect(linkMail[0]!.envelope.to).toEqual([ada.email]);
      expect(linkMail[0]!.body).toContain(`${webUrl}/pay/${reservedId}?t=`);

      // Support: one alert e-mail to the support address, naming the booking and the message.
      await options.getByLabel('Message to support (optional)').fill('Please call me back.');
      await options.getByRole('button', { name: 'Contact support' }).click();
      await expectVisible(options.getByText('Support has been alerted', { exact: false }));
      const alert = await eventually('the support alert e-mail', () => {
        const mails = mailsOf(p.smtp.messages, `support-request:${reservedId}`);
        return mails.length > 0 ? mails : undefined;
      });
      expect(alert[0]!.envelope.to).toEqual([SUPPORT_EMAIL]);
      expect(alert[0]!.body).toContain(reservedId);
      expect(alert[0]!.body).toContain('Please call me back.');
      await audit.check(page, '11-payment-down-alternatives-used');

      // The second reservation's e-mail: its signed link opens the web app's /pay page in a
      // browser nobody is signed in to, while payment is still down.
      const secondMail = await eventually('the second payment-link e-mail', () => {
        const mails = mailsOf(p.smtp.messages, `payment-link:${second.id}`);
        return mails.length > 0 ? mails : undefined;
      });
      const link = secondMail[0]!.body.match(
        /https?:\/\/[^\s"<>]+\/pay\/[0-9a-f-]{36}\?t=[0-9a-z]+\.[\w-]{43}/,
      )?.[0];
      expect(link?.startsWith(`${webUrl}/pay/${second.id}?t=`)).toBe(true);
      const fresh = await browser!.newContext({
        locale: 'en-GB',
        viewport: { width: 1200, height: 900 },
      });
      contexts.push(fresh);
      const mailPage = await fresh.newPage();
      mailPage.on('pageerror', (error) => pageErrors.push(error.message));
      await mailPage.goto(link!);
      await mailPage.getByRole('heading', { name: 'Pay your reservation', level: 1 }).waitFor();
      await expectVisible(mailPage.getByText('Louvre after hours'));
      await expectVisible(mailPage.getByText('€180.00'));
      await expectText(mailPage.getByTestId('booking-status'), 'Reserved, awaiting payment');
      await audit.check(mailPage, '12-pay-link');

      // Payment comes back; once booking's circuit leaves "open", retry pays the reservation.
      await p.start('payment');
      await eventually(
        'booking circuit to payment no longer open',
        async () => (await circuitState(p)) !== 2,
        {
          timeoutMs: BREAKER_RESET_MS + 20_000,
          intervalMs: 250,
        },
      );
      await options.getByRole('button', { name: 'Try again' }).click();
      await expectText(page.getByTestId('booking-status'), 'Confirmed', 60_000);
      await expectVisible(page.getByText('Your booking is confirmed.'));

      // The link's page pays, without signing in, and follows the payment to CONFIRMED.
      await mailPage.getByRole('button', { name: 'Pay now' }).click();
      await expectText(mailPage.getByTestId('booking-status'), 'Confirmed', 60_000);
      await expectVisible(mailPage.getByText('Your booking is confirmed.'));
      await audit.check(mailPage, '13-pay-link-confirmed');

      // The same link again: it was used (and shows what became of the booking), no Pay button.
      const again = await fresh.newPage();
      again.on('pageerror', (error) => pageErrors.push(error.message));
      await again.goto(link!);
      await expectVisible(again.getByTestId('pay-link-used'));
      await expectText(again.getByTestId('booking-status'), 'Confirmed');
      expect(await again.getByRole('button', { name: 'Pay now' }).count()).toBe(0);
      const reuse = await fetch(`${webUrl}/v1/payment-links/${second.id}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ t: new URL(link!).searchParams.get('t') }),
      });
      expect(reuse.status).toBe(409);

      for (const id of [reservedId, second.id]) {
        const charges = expectStatus(
          await p.internal('payment').get(`/internal/payments?bookingId=${id}`),
          200,
          'payments',
        );
        expect(
          charges.items.filter((c: { status: string }) => c.status === 'SUCCEEDED'),
        ).toHaveLength(1);
      }
      expect(pageErrors).toEqual([]);
      expect(audit.failures()).toEqual([]);
    },
  ),
  300_000,
);
