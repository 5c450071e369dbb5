import { createHash } from 'node:crypto';
import { z } from 'zod';

export const notificationTypes = [
  'booking-confirmed',
  'payment-link',
  'support-alert',
  'review-posted',
  'reminder',
  'tour-changed',
] as const;
export type NotificationType = (typeof notificationTypes)[number];

export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'failed';

const uuid = z.uuid('must be a UUID').transform((value) => value.toLowerCase());

/** The body of POST /internal/notifications (the cross-service contract). */
export const notificationRequestSchema = z
  .strictObject({
    type: z.enum(notificationTypes),
    dedupeKey: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters without spaces'),
    userId: uuid.optional(),
    email: z.email('must be an e-mail address').optional(),
    bookingId: uuid.optional(),
    tourId: uuid.optional(),
    data: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((request, ctx) => {
    const need = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: field.split('.'), message });
    switch (request.type) {
      case 'booking-confirmed':
      case 'payment-link':
        if (!request.userId && !request.email) need('userId', 'userId or email is required');
        if (request.type === 'payment-link' && !isHttpUrl(request.data.paymentLink))
          need('data.paymentLink', 'must be an http(s) URL');
        break;
      case 'review-posted':
        if (!request.tourId && !request.email) need('tourId', 'tourId or email is required');
        break;
      case 'tour-changed':
        if (!request.userId && !request.email) need('userId', 'userId or email is required');
        if (!isInstant(request.data.startsAt))
          need('data.startsAt', 'must be an ISO-8601 date-time');
        if (request.data.status !== 'SCHEDULED' && request.data.status !== 'CANCELLED')
          need('data.status', 'must be SCHEDULED or CANCELLED');
        if (request.data.timeZone !== undefined && !isTimeZone(request.data.timeZone))
          need('data.timeZone', 'must be an IANA time zone');
        break;
      case 'reminder':
        if (!request.userId) need('userId', 'is required for a reminder');
        if (!request.tourId) need('tourId', 'is required for a reminder');
        break;
      case 'support-alert':
        break;
    }
  });

export type NotificationRequest = z.output<typeof notificationRequestSchema>;

function isInstant(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));
}

function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The same dedupe key always gives the same Message-ID, so even a message sent twice (the one
 * window we cannot close: a crash after the SMTP server accepted it and before the row says
 * sent) is recognisably one message to mail servers, clients and our tests.
 */
export function messageIdFor(dedupeKey: string, domain: string): string {
  const digest = createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32);
  return `<${digest}@${domain}>`;
}

/**
 * The reminder's dedupe key: one reminder per booking and start time, however often the sweep runs.
 * A tour moved to another time gets a reminder for the new time (once); one moved back gets none.
 */
export function reminderDedupeKey(bookingId: string, tourStartsAt: string): string {
  const instant = new Date(tourStartsAt);
  const startsAt = Number.isNaN(instant.getTime()) ? tourStartsAt : instant.toISOString();
  return `reminder:${bookingId}:${startsAt}`;
}
