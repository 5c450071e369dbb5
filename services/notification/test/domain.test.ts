import { randomUUID } from 'node:crypto';
import { ConfigError } from '@tourkit/kit';
import { contextFor, NoRecipientError, recipientFor } from '../src/composer.js';
import { loadNotificationConfig } from '../src/config.js';
import {
  decodeEncodedWords,
  decodeQuotedPrintable,
  parseHeaders,
} from '../src/dev/captured-mail.js';
import { renderInbox } from '../src/dev/inbox-page.js';
import {
  messageIdFor,
  notificationRequestSchema,
  reminderDedupeKey,
} from '../src/domain/notification.js';
import {
  escapeHtml,
  languageFor,
  renderEmail,
  type EmailContext,
} from '../src/domain/templates.js';
import { deliverJobOptions, redisConnectionOptions } from '../src/queue.js';

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

describe('notification requests', () => {
  const userId = randomUUID();
  const parse = (body: unknown) => notificationRequestSchema.safeParse(body);
  const fields = (body: unknown) => {
    const result = parse(body);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  };

  it('accepts the contract and defaults data to {}', () => {
    const result = parse({ type: 'support-alert', dedupeKey: 'support-alert:1' });
    expect(result.success && result.data.data).toEqual({});
  });

  it('names the missing or wrong field per type', () => {
    expect(fields({ type: 'payment-link', dedupeKey: 'k', userId })).toEqual(['data.paymentLink']);
    expect(
      fields({
        type: 'payment-link',
        dedupeKey: 'k',
        userId,
        data: { paymentLink: 'javascript:x' },
      }),
    ).toEqual(['data.paymentLink']);
    expect(fields({ type: 'booking-confirmed', dedupeKey: 'k' })).toEqual(['userId']);
    expect(fields({ type: 'review-posted', dedupeKey: 'k' })).toEqual(['tourId']);
    expect(fields({ type: 'reminder', dedupeKey: 'k', userId })).toEqual(['tourId']);
    expect(fields({ type: 'support-alert', dedupeKey: 'has space' })).toEqual(['dedupeKey']);
    expect(fields({ type: 'support-alert', dedupeKey: 'k', email: 'nope' })).toEqual(['email']);
    expect(fields({ type: 'support-alert', dedupeKey: 'k', extra: 1 })).toEqual(['']);
  });

  it('derives one stable Message-ID per dedupe key', () => {
    expect(messageIdFor('reminder:1', 'tourkit.test')).toBe(
      messageIdFor('reminder:1', 'tourkit.test'),
    );
    expect(messageIdFor('reminder:1', 'tourkit.test')).not.toBe(
      messageIdFor('reminder:2', 'tourkit.test'),
    );
    expect(messageIdFor('reminder:1', 'tourkit.test')).toMatch(/^<[0-9a-f]{32}@tourkit\.test>$/);
    expect(reminderDedupeKey('b-1')).toBe('reminder:b-1');
  });
});

describe('recipients', () => {
  const request = (type: string, extra: object = {}) =>
    notificationRequestSchema.parse({
      type,
      dedupeKey: 'k',
      userId: randomUUID(),
      tourId: randomUUID(),
      ...extra,
    });
  const user = { id: 'u', email: 'ada@example.com', name: 'Ada', country: 'FR' };
  const operatorTour = { ...tour, operatorEmail: 'op@example.com' };

  it('sends to the explicit e-mail first, else by type', () => {
    expect(
      recipientFor(request('reminder', { email: 'x@example.com' }), { user }, 's@x.test'),
    ).toBe('x@example.com');
    expect(recipientFor(request('reminder'), { user }, 's@x.test')).toBe('ada@example.com');
    expect(recipientFor(request('support-alert'), { user }, 's@x.test')).toBe('s@x.test');
    expect(recipientFor(request('review-posted'), { user, tour: operatorTour }, 's@x.test')).toBe(
      'op@example.com',
    );
    expect(() => recipientFor(request('review-posted'), { tour }, 's@x.test')).toThrow(
      NoRecipientError,
    );
  });

  it('does not greet the operator with the reviewer’s name', () => {
    expect(
      contextFor(request('review-posted'), { user, tour: operatorTour }).recipientName,
    ).toBeUndefined();
    expect(contextFor(request('reminder'), { user, tour: operatorTour }).recipientName).toBe('Ada');
  });
});

describe('queue settings', () => {
  it('reads Redis URLs', () => {
    expect(redisConnectionOptions('rediss://me:p%40ss@redis.test:6380/2')).toEqual({
      host: 'redis.test',
      port: 6380,
      username: 'me',
      password: 'p@ss',
      db: 2,
      tls: {},
      maxRetriesPerRequest: null,
    });
  });

  it('keys a delivery job by the notification id, retried with exponential backoff', () => {
    expect(deliverJobOptions('n-1', { attempts: 5, backoffMs: 100 }, 250)).toMatchObject({
      jobId: 'n-1',
      attempts: 5,
      backoff: { type: 'exponential', delay: 100 },
      delay: 250,
    });
  });
});

describe('config', () => {
  const base = { INTERNAL_TOKEN: 'a-secret-of-16-chars' };
  it('has working defaults', () => {
    const config = loadNotificationConfig(base);
    expect(config).toMatchObject({
      PORT: 8086,
      REMINDER_CRON: '0 * * * *',
      NOTIFICATION_WORKER: true,
    });
  });
  it('refuses a lease shorter than two SMTP timeouts, naming the variable', () => {
    expect(() =>
      loadNotificationConfig({ ...base, SEND_LEASE_MS: '1000', SMTP_TIMEOUT_MS: '1000' }),
    ).toThrow(/SEND_LEASE_MS/);
    expect(() => loadNotificationConfig({ ...base, SUPPORT_EMAIL: 'nope' })).toThrow(ConfigError);
  });
});

describe('captured mail', () => {
  it('reads folded headers, encoded words and quoted-printable', () => {
    const raw =
      'Subject: =?UTF-8?Q?R=C3=A9servation?=\r\n =?UTF-8?Q?_confirm=C3=A9e?=\r\nMessage-ID: <a@b>\r\n\r\nbody';
    const headers = parseHeaders(raw);
    expect(headers['message-id']).toBe('<a@b>');
    expect(decodeEncodedWords(headers.subject!)).toBe('Réservation confirmée');
    expect(decodeQuotedPrintable('caf=C3=A9 au=\r\n lait')).toBe('café au lait');
  });

  it('lists messages newest first, escaped', () => {
    const mail = (subject: string) => ({
      receivedAt: '2030-01-01T00:00:00.000Z',
      envelope: { from: 'a@x', to: ['b@x'] },
      messageId: '<m@x>',
      subject,
      to: 'b@x',
      headers: {},
      body: '<script>',
      raw: '',
    });
    const page = renderInbox([mail('first'), mail('second')]);
    expect(page.indexOf('second')).toBeLessThan(page.indexOf('first'));
    expect(page).toContain('&lt;script&gt;');
    expect(page).not.toContain('<script>');
  });
});
