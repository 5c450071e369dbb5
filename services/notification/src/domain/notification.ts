import { createHash } from 'node:crypto';
import { z } from 'zod';

export const notificationTypes = [
  'booking-confirmed',
  'payment-link',
  'support-alert',
  'review-posted',
  'reminder',
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
      case 'reminder':
        if (!request.userId) need('userId', 'is required for a reminder');
        if (!request.tourId) need('tourId', 'is required for a reminder');
        break;
      case 'support-alert':
        break;
    }
  });

export type NotificationRequest = z.output<typeof notificationRequestSchema>;

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

/** The reminder's dedupe key: one reminder per booking, however often the sweep runs. */
export function reminderDedupeKey(bookingId: string): string {
  return `reminder:${bookingId}`;
}
