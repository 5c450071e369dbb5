import type { Directory, DirectoryTour, DirectoryUser } from '../clients/directory.js';
import type { NotificationRequest } from '../domain/notification.js';
import { renderEmail, type EmailContext, type RenderedEmail } from '../domain/templates.js';

export interface ComposedEmail extends RenderedEmail {
  to: string;
}

/** No recipient can be found: retrying will not help. */
export class NoRecipientError extends Error {
  constructor(detail: string) {
    super(`no recipient: ${detail}`);
    this.name = 'NoRecipientError';
  }
}

/** Picks the recipient of a request once it is enriched (pure). */
export function recipientFor(
  request: NotificationRequest,
  enriched: { user?: DirectoryUser; tour?: DirectoryTour },
  supportEmail: string,
): string {
  if (request.email) return request.email;
  switch (request.type) {
    case 'support-alert':
      return supportEmail;
    case 'review-posted':
      if (enriched.tour?.operatorEmail) return enriched.tour.operatorEmail;
      throw new NoRecipientError(`tour ${request.tourId ?? '?'} has no operatorEmail`);
    default:
      if (enriched.user?.email) return enriched.user.email;
      throw new NoRecipientError(`user ${request.userId ?? '?'} has no e-mail`);
  }
}

/** The template's context from a request and what the other services said (pure). */
export function contextFor(
  request: NotificationRequest,
  enriched: { user?: DirectoryUser; tour?: DirectoryTour },
): EmailContext {
  const { user, tour } = enriched;
  // The operator of a reviewed tour is not the reviewing user: greet nobody by the user's name.
  const addressee =
    request.type === 'review-posted' || request.type === 'support-alert' ? undefined : user;
  return {
    ...(addressee?.name ? { recipientName: addressee.name } : {}),
    ...(addressee?.country ? { country: addressee.country } : {}),
    ...(request.bookingId ? { bookingId: request.bookingId } : {}),
    ...(tour
      ? {
          tour: {
            id: tour.id,
            title: tour.title,
            destination: tour.destination,
            startsAt: tour.startsAt,
            ...(tour.timeZone ? { timeZone: tour.timeZone } : {}),
          },
        }
      : {}),
    data: request.data,
  };
}

/** Enriches a request through the other services and renders its e-mail. */
export async function composeEmail(
  request: NotificationRequest,
  directory: Directory,
  supportEmail: string,
): Promise<ComposedEmail> {
  const needsUser = request.userId !== undefined && request.type !== 'review-posted';
  const [user, tour] = await Promise.all([
    needsUser ? directory.user(request.userId!) : undefined,
    request.tourId ? directory.tour(request.tourId) : undefined,
  ]);
  const enriched = { ...(user ? { user } : {}), ...(tour ? { tour } : {}) };
  const to = recipientFor(request, enriched, supportEmail);
  return { to, ...renderEmail(request.type, contextFor(request, enriched)) };
}
