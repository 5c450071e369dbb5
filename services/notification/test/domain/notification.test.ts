import { randomUUID } from 'node:crypto';
import {
  messageIdFor,
  notificationRequestSchema,
  reminderDedupeKey,
} from '../../src/domain/notification.js';

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
    expect(fields({ type: 'tour-changed', dedupeKey: 'k', userId })).toEqual([
      'data.startsAt',
      'data.status',
    ]);
    expect(
      fields({
        type: 'tour-changed',
        dedupeKey: 'k',
        userId,
        data: { startsAt: '2027-01-12T07:30:00Z', status: 'SCHEDULED', timeZone: 'Mars/Olympus' },
      }),
    ).toEqual(['data.timeZone']);
    expect(
      fields({
        type: 'tour-changed',
        dedupeKey: 'k',
        userId,
        data: { startsAt: '2027-01-12T07:30:00Z', status: 'CANCELLED', timeZone: 'Europe/Paris' },
      }),
    ).toEqual([]);
  });

  it('derives one stable Message-ID per dedupe key', () => {
    expect(messageIdFor('reminder:1', 'tourkit.test')).toBe(
      messageIdFor('reminder:1', 'tourkit.test'),
    );
    expect(messageIdFor('reminder:1', 'tourkit.test')).not.toBe(
      messageIdFor('reminder:2', 'tourkit.test'),
    );
    expect(messageIdFor('reminder:1', 'tourkit.test')).toMatch(/^<[0-9a-f]{32}@tourkit\.test>$/);
    // One reminder per booking and start time, however the time is written.
    expect(reminderDedupeKey('b-1', '2027-01-12T08:30:00+01:00')).toBe(
      'reminder:b-1:2027-01-12T07:30:00.000Z',
    );
    expect(reminderDedupeKey('b-1', '2027-01-12T07:30:00.000Z')).not.toBe(
      reminderDedupeKey('b-1', '2027-01-12T08:30:00.000Z'),
    );
  });
});
