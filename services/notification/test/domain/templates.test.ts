import { escapeHtml } from '@tourkit/kit';
import { languageFor, renderEmail, type EmailContext } from '../../src/domain/templates.js';

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

  it('writes French to French-speaking countries', () => {
    const email = renderEmail('reminder', context({ country: 'FR' }));
    expect(email.subject).toBe('Rappel : Louvre <b>at night</b> commence demain');
    expect(email.text).toContain('Bonjour Ada,');
    expect(email.text).toMatch(/dimanche 12 mai 2030.*19:00 UTC/);
    expect(languageFor('be')).toBe('fr');
    expect(languageFor(undefined)).toBe('en');
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
