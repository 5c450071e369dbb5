import { escapeHtml } from '@tourkit/kit';
import {
  formatWhen,
  languageFor,
  renderEmail,
  type EmailContext,
} from '../../src/domain/templates.js';

const tour = {
  id: 't1',
  title: 'Louvre <b>at night</b>',
  destination: 'Paris',
  startsAt: '2030-05-12T19:00:00.000Z',
};

const context = (overrides: Partial<EmailContext> = {}): EmailContext => ({
  recipientName: 'Ada',
  country: 'GB',
  bookingId: 'b-1',
  tour,
  data: {},
  ...overrides,
});

describe('templates', () => {
  it.each([
    ['booking-confirmed', 'Booking confirmed: Louvre <b>at night</b>'],
    ['payment-link', 'Your booking is waiting for payment'],
    ['review-posted', 'New review of Louvre <b>at night</b>'],
    ['reminder', 'Reminder: Louvre <b>at night</b> starts tomorrow'],
  ] as const)('%s has an English subject, text and HTML', (type, subject) => {
    const email = renderEmail(type, context({ data: { paymentLink: 'https://x.test/pay' } }));
    expect(email.subject).toBe(subject);
    expect(email.text).toContain('Hello Ada,');
    expect(email.html).toContain('Louvre &lt;b&gt;at night&lt;/b&gt;');
    expect(email.html).not.toContain('<b>at night</b>');
  });

  it("carries booking's signed payment link whole, in the text and in the HTML", () => {
    const paymentLink =
      'https://tourkit.test/pay/6f1c2a4e-0d7b-4c1e-9a51-0b7c3f2e8d10?t=mj3x.AbC-_9';
    const email = renderEmail('payment-link', context({ data: { paymentLink } }));
    expect(email.text).toContain(`Pay for my booking: ${paymentLink}`);
    expect(email.text).toContain('works once');
    expect(email.html).toContain(`<a href="${paymentLink}">Pay for my booking</a>`);
  });

  it('writes French to French-speaking countries', () => {
    const email = renderEmail('reminder', context({ country: 'FR' }));
    expect(email.subject).toBe('Rappel : Louvre <b>at night</b> commence demain');
    expect(email.text).toContain('Bonjour Ada,');
    expect(email.text).toMatch(/dimanche 12 mai 2030.*19:00 UTC/);
    expect(languageFor('be')).toBe('fr');
    expect(languageFor(undefined)).toBe('en');
  });

  it("states a start in the tour's zone, summer time included, the zone named", () => {
    const at = (startsAt: string, country = 'GB') =>
      renderEmail(
        'reminder',
        context({ country, tour: { ...tour, startsAt, timeZone: 'Europe/Paris' } }),
      ).text;
    // 07:30 UTC is 08:30 in Paris in winter (UTC+1), 09:30 in summer (UTC+2).
    expect(at('2027-01-12T07:30:00.000Z')).toContain('12 January 2027 at 08:30 (Europe/Paris)');
    expect(at('2027-07-13T07:30:00.000Z')).toContain('13 July 2027 at 09:30 (Europe/Paris)');
    expect(at('2027-07-13T07:30:00.000Z', 'FR')).toMatch(
      /mardi 13 juillet 2027.*09:30 \(Europe\/Paris\)/,
    );
    expect(formatWhen('2027-07-13T07:30:00.000Z', 'en', 'America/New_York')).toMatch(
      /13 July 2027 at 03:30 \(America\/New_York\)$/,
    );
    // An unknown zone falls back to UTC, said so.
    expect(formatWhen('2027-07-13T07:30:00.000Z', 'en', 'Mars/Olympus')).toMatch(
      /13 July 2027 at 07:30 UTC$/,
    );
  });

  it('tells a traveller the new start time of a moved tour, in the zone booking sent', () => {
    const email = renderEmail(
      'tour-changed',
      context({
        data: {
          status: 'SCHEDULED',
          startsAt: '2027-07-13T07:30:00.000Z',
          previousStartsAt: '2027-07-12T07:30:00.000Z',
          timeZone: 'Europe/Paris',
        },
      }),
    );
    expect(email.subject).toBe('New departure time: Louvre <b>at night</b>');
    expect(email.text).toMatch(/New start: .*13 July 2027 at 09:30 \(Europe\/Paris\)/);
    expect(email.text).toMatch(/Was: .*12 July 2027 at 09:30 \(Europe\/Paris\)/);
    expect(email.text).toContain('Booking: b-1');
  });

  it('tells a traveller their tour is cancelled, in French too', () => {
    const data = {
      status: 'CANCELLED',
      startsAt: '2027-01-12T07:30:00.000Z',
      timeZone: 'Europe/Paris',
    };
    const english = renderEmail('tour-changed', context({ data }));
    expect(english.subject).toBe('Tour cancelled: Louvre <b>at night</b>');
    expect(english.text).toContain('12 January 2027 at 08:30 (Europe/Paris) is cancelled');
    expect(english.text).toContain('refunded');
    const french = renderEmail('tour-changed', context({ country: 'FR', data }));
    expect(french.subject).toBe('Visite annulée : Louvre <b>at night</b>');
  });

  it('puts the payment link and its expiry in both parts', () => {
    const email = renderEmail(
      'payment-link',
      context({
        data: { paymentLink: 'https://x.test/pay?b=1&c=2', expiresAt: '2030-05-11T19:00:00.000Z' },
      }),
    );
    expect(email.text).toContain('Pay for my booking: https://x.test/pay?b=1&c=2');
    expect(email.text).toContain('expires on');
    expect(email.html).toContain('href="https://x.test/pay?b=1&amp;c=2"');
  });

  it('shows the amount of a confirmation in euros from cents', () => {
    expect(
      renderEmail('booking-confirmed', context({ data: { totalCents: 12_345 } })).text,
    ).toContain('€123.45');
  });

  it('gives support the reason and the other data', () => {
    const email = renderEmail(
      'support-alert',
      context({ data: { reason: 'Payment failed', attempts: 5 } }),
    );
    expect(email.subject).toBe('[Tourkit support] Booking b-1: Payment failed');
    expect(email.text).toContain('attempts: 5');
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
